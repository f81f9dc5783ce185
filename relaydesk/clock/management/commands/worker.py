"""`relaydesk worker`: run the clock, the digest and the outbox until SIGTERM or SIGINT.

`--once` does everything due now, step by step, and exits 0 (cron, scripts, tests).
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from relaydesk.clock import sweep
from relaydesk.clock.worker import run_due_work, run_worker
from relaydesk.outbox import sending


class Command(BaseCommand):
    help = (
        "Escalate cases at their deadline, send tickles, staff digests and queued mail, "
        "in a loop (or once with --once)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Do every step until nothing is due now, print what was done, and exit.",
        )
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

    def handle(self, *args, once=False, batch_size=None, **options):
        if batch_size is not None:
            if batch_size < 1:
                raise CommandError("--batch-size must be at least 1")
            sweep.BATCH_SIZE = batch_size
            sending.BATCH_SIZE = batch_size
        if once:
            done = run_due_work()
            summary = ", ".join(f"{name} {times}" for name, times in done.items())
            self.stdout.write(f"Done everything due (rounds with work: {summary}).")
            return
        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        run_worker(stop)
