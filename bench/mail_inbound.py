"""Inbound mail through SMTP on loopback into cases: messages/s, and memory for a big attachment.

1. Throughput: `relaydesk mailin`'s SMTP server runs in this process on a free port; N
   messages from N different customers go over one SMTP connection each batch, and each is
   answered 250 only after it is stored raw, committed and processed into a case (with its
   acknowledgement queued). Goal on SQLite, 2 cores: ≥ 50 messages/s.
2. Memory: `relaydesk mailin` runs as its own process; after a small warm-up message, one
   message with a 20 MB attachment goes through it. Its peak resident memory (VmHWM) before
   and after gives the growth. Goal: ≤ 2× the attachment (40 MB).

    python -m bench.mail_inbound                  # SQLite
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/x python -m bench.mail_inbound
    python -m bench.mail_inbound --count 1000 --attachment-mb 20
"""

import argparse
import os
import signal
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

SUPPORT = "support@relaydesk.localhost"
PROJECT = Path(__file__).resolve().parents[1]


def message(number: int, *, attachment: bytes = b"") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = f"Customer {number} <customer.{number}@example.com>"
    mail["To"] = SUPPORT
    mail["Subject"] = f"Problem number {number}: the ticket machine ate my card"
    mail["Message-ID"] = make_msgid(domain="bench.example")
    mail.set_content(f"Hello,\n\nThe machine at platform {number % 12} kept my card.\n\nThanks")
    if attachment:
        mail.add_attachment(
            attachment, maintype="application", subtype="octet-stream", filename="big.bin"
        )
    return mail


def seed() -> None:
    from django.contrib.auth.models import User

    from relaydesk.clock import now
    from relaydesk.intake.models import Category
    from relaydesk.org.models import Company, Staff, Tier

    Company.objects.create(name="Bench Rail", time_zone="Europe/Amsterdam")
    Category.objects.create(slug="billing", name="Billing")
    front = Tier.objects.create(slug="frontline", name="Frontline", rank=0)
    Tier.objects.create(slug="executive", name="Executive", rank=1)
    for name in ("fran", "fiona", "frank"):
        user = User.objects.create_user(name, email=f"{name}@acme.example", last_login=now())
        Staff.objects.create(user=user, tier=front)


def throughput(count: int, batch: int) -> float:
    from relaydesk.cases.models import Case
    from relaydesk.intake.mail.smtp import make_controller

    controller = make_controller("127.0.0.1", 0)
    controller.start()
    try:
        messages = [message(n) for n in range(count)]
        warm = message(10_000_000)
        with smtplib.SMTP("127.0.0.1", controller.port) as client:
            client.send_message(warm, to_addrs=[SUPPORT])
        started = time.perf_counter()
        for start in range(0, count, batch):
            with smtplib.SMTP("127.0.0.1", controller.port) as client:
                for mail in messages[start : start + batch]:
                    client.send_message(mail, to_addrs=[SUPPORT])
        elapsed = time.perf_counter() - started
    finally:
        controller.stop()
    opened = Case.objects.count() - 1
    assert opened == count, f"{opened} cases for {count} messages"
    return count / elapsed


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def memory(attachment_mb: int) -> tuple[float, float]:
    from relaydesk.intake.mail.smtp import free_port

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "relaydesk.cli", "mailin", "--port", str(port), "--no-imap"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        process.stdout.readline()  # "Relaydesk mailin: SMTP on …" once it listens
        with smtplib.SMTP("127.0.0.1", port, timeout=300) as client:
            client.send_message(message(20_000_001), to_addrs=[SUPPORT])
        before = peak_rss_kb(process.pid)
        big = message(20_000_002, attachment=os.urandom(attachment_mb * 1024 * 1024))
        with smtplib.SMTP("127.0.0.1", port, timeout=300) as client:
            client.send_message(big, to_addrs=[SUPPORT])
        after = peak_rss_kb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    return before / 1024, after / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--batch", type=int, default=100, help="messages per SMTP connection")
    parser.add_argument("--attachment-mb", type=int, default=20)
    args = parser.parse_args()

    from bench.database import bench_database

    with bench_database() as engine:
        seed()
        rate = throughput(args.count, args.batch)
        print(
            f"[mail_inbound] {engine}: {args.count} messages over SMTP into cases: "
            f"{rate:.0f} messages/s (goal ≥ 50/s)"
        )
        before, after = memory(args.attachment_mb)
        growth = after - before
        print(
            f"[mail_inbound] {engine}: {args.attachment_mb} MB attachment: mailin peak RSS "
            f"{before:.0f} MB → {after:.0f} MB, growth {growth:.0f} MB = "
            f"{growth / args.attachment_mb:.1f}× the attachment (goal ≤ 2×)"
        )


if __name__ == "__main__":
    main()
