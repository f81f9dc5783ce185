"""`relaydesk mailin [--host H] [--port P]`: the SMTP server for inbound mail, the IMAP
poller (when RELAYDESK_IMAP_HOST is set) and the sweep that finishes stored-but-unprocessed
messages. Stops cleanly on SIGTERM or Ctrl-C."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from relaydesk.intake.mail import imap
from relaydesk.intake.mail.receive import process_pending
from relaydesk.intake.mail.smtp import make_controller

PENDING_SWEEP_SECONDS = 60


class Command(BaseCommand):
    help = "Receive mail: an SMTP server (and the IMAP poller when RELAYDESK_IMAP_HOST is set)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.MAILIN_HOST)
        parser.add_argument("--port", type=int, default=settings.MAILIN_PORT)
        parser.add_argument("--no-smtp", action="store_true", help="Only poll IMAP.")
        parser.add_argument("--no-imap", action="store_true", help="Do not poll IMAP.")
        parser.add_argument(
            "--pending-only",
            action="store_true",
            help="Process messages stored but not yet processed (after a crash), then exit.",
        )

    def handle(self, *args, **options):
        finished = process_pending()
        if finished:
            self.stdout.write(f"Processed {finished} message(s) left from before.")
        if options["pending_only"]:
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        controller = None
        if not options["no_smtp"]:
            controller = make_controller(options["host"], options["port"])
            controller.start()
            self.stdout.write(
                f"Relaydesk mailin: SMTP on {options['host']}:{controller.port}", ending="\n"
            )
            self.stdout.flush()
        polling = settings.IMAP_HOST and not options["no_imap"]
        if polling:
            self.stdout.write(
                f"Polling IMAP {settings.IMAP_HOST} every {settings.IMAP_POLL_SECONDS} s"
            )
        next_sweep = 0.0
        elapsed = 0.0
        try:
            while not stop.is_set():
                if polling:
                    try:
                        imap.poll_once()
                    except Exception as error:  # noqa: BLE001 - a mailbox outage is not fatal
                        self.stderr.write(f"IMAP poll failed: {error}")
                if elapsed >= next_sweep:
                    process_pending()
                    next_sweep = elapsed + PENDING_SWEEP_SECONDS
                wait = settings.IMAP_POLL_SECONDS if polling else PENDING_SWEEP_SECONDS
                stop.wait(wait)
                elapsed += wait
        finally:
            if controller is not None:
                controller.stop()
        self.stdout.write("Relaydesk mailin stopped.")
