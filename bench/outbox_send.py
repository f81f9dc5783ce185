"""The outbox sending 1,000 queued mails to a local SMTP server (aiosmtpd on loopback).

Prints mails/s for the worker's send step over real SMTP, and for the embedded default (one
.eml file per message). Every mail is marked SENT in its own committed transaction right
after the server accepts it, so the figure includes one commit per mail.

    python -m bench.outbox_send [--mails 1000]
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench.outbox_send
"""

import argparse
import os
import socket
import time


class Counter:
    def __init__(self):
        self.accepted = 0

    async def handle_DATA(self, server, session, envelope):
        self.accepted += 1
        return "250 2.0.0 Accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def queue(count: int) -> None:
    from relaydesk.outbox.queue import queue_mail

    for n in range(count):
        queue_mail(
            to=f"person{n}@acme.example",
            subject=f"[RD-{1000 + n}] RD-{1000 + n} passed its deadline and is yours now",
            body="RD passed its deadline and is yours now\n\nCharged twice\n\nhttp://x/cases/RD\n",
            automatic=True,
        )


def send_all() -> float:
    from relaydesk.outbox.sending import handle_one_send_batch

    started = time.perf_counter()
    while handle_one_send_batch():
        pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mails", type=int, default=1000)
    args = parser.parse_args()
    from aiosmtpd.controller import Controller

    counter = Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    os.environ.update(
        RELAYDESK_SMTP_HOST="127.0.0.1",
        RELAYDESK_SMTP_PORT=str(port),
        RELAYDESK_SMTP_STARTTLS="false",
        RELAYDESK_LOG_LEVEL="WARNING",
    )
    from bench import database
    from bench.database import bench_database

    database.BENCH_DB_NAME = "relaydesk_bench_outbox"  # not the core benchmarks' database
    try:
        with bench_database() as engine:
            from django.conf import settings
            from django.test import override_settings

            from relaydesk.outbox.models import OutgoingMail

            print(f"[outbox] {engine}; load average {os.getloadavg()[0]:.1f}")
            queue(args.mails)
            seconds = send_all()
            sent = OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count()
            print(
                f"[outbox] SMTP (aiosmtpd on loopback): {sent:,} mails in {seconds:.2f} s = "
                f"{sent / seconds:,.0f} mails/s; the server accepted {counter.accepted:,}"
            )
            with override_settings(
                EMAIL_BACKEND="relaydesk.outbox.backends.EmlFileBackend",
                EMAIL_FILE_PATH=settings.HOME / "outbox",
            ):
                queue(args.mails)
                seconds = send_all()
            files = len(list((settings.HOME / "outbox").glob("*.eml")))
            print(
                f"[outbox] embedded file backend: {files:,} .eml files in {seconds:.2f} s = "
                f"{files / seconds:,.0f} mails/s"
            )
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
