"""The worker loop: the clock (escalations, tickles) and the outbox, in small steps.

`relaydesk worker` runs it in the foreground; `relaydesk serve` runs it in a thread. The loop
only orchestrates: it calls the steps until none has work, then sleeps until the next due
moment (at most 15 s) on an Event, so `stop.set()` ends it at once.
"""

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections, connection

from relaydesk.clock import sweep
from relaydesk.outbox import sending

log = logging.getLogger("relaydesk.worker")

Step = Callable[[], bool]
STEPS: tuple[tuple[str, Step], ...] = (
    ("escalation", sweep.handle_one_escalation_batch),
    ("tickle", sweep.handle_one_tickle_batch),
    ("outbox", sending.handle_one_send_batch),
)
PAUSE_AFTER_ERROR = 5.0


def run_once() -> bool:
    """One round of every step; True if any of them did work."""
    did_work = False
    for name, step in STEPS:
        try:
            did_work = step() or did_work
        except Exception:
            log.exception("the %s step failed; it will be tried again", name)
            connection.close()  # a broken connection must not poison the next round
            raise
    return did_work


def run_worker(stop: threading.Event) -> None:
    log.info("worker started")
    try:
        while not stop.is_set():
            close_old_connections()
            try:
                if run_once():
                    continue
                pause = sweep.seconds_to_sleep()
            except Exception:
                pause = PAUSE_AFTER_ERROR
            stop.wait(pause)
    finally:
        connection.close()
        log.info("worker stopped")
