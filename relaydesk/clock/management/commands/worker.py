"""`relaydesk worker`: run the clock and the outbox until SIGTERM or SIGINT."""

import signal
import threading

from django.core.management.base import BaseCommand

from relaydesk.clock import sweep
from relaydesk.clock.worker import run_worker
from relaydesk.outbox import sending


class Command(BaseCommand):
    help = "Escalate cases at their deadline, send tickles and send queued mail, in a loop."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help=(
                "Cases claimed per batch, escalations and tickles alike (default: escalations "
                + ", ".join(
                    f"{size} on {vendor}" for vendor, size in sweep.ESCALATION_BATCH_SIZE.items()
                )
                + f"; tickles {sweep.TICKLE_BATCH_SIZE})."
            ),
        )

    def handle(self, *args, batch_size=None, **options):
        if batch_size is not None:
            if batch_size < 1:
                self.stderr.write("--batch-size must be at least 1")
                raise SystemExit(2)
            sweep.BATCH_SIZE = batch_size
            sending.BATCH_SIZE = batch_size
        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        run_worker(stop)
