"""The worker loop: the clock (escalations, tickles), the staff digest and the outbox.

`relaydesk worker` runs it in the foreground; `relaydesk serve` runs it in a thread;
`relaydesk worker --once` does what is due now and exits (`run_due_work()`). The loop only
orchestrates: it calls the steps until none has work, then sleeps until the next due moment
(at most 15 s) on an Event, so `stop.set()` ends it at once.
"""

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections, connection

from relaydesk.cases.leaving import handle_one_left_behind
from relaydesk.cases.notify import handle_one_digest
from relaydesk.clock import closing, planner, sweep
from relaydesk.outbox import sending
from relaydesk.privacy import retention

log = logging.getLogger("relaydesk.worker")

Step = Callable[[], bool]
# In this order: an escalation's notification can join the digest, and the digest's mail go
# out, in the same round.
STEPS: tuple[tuple[str, Step], ...] = (
    ("escalation", sweep.handle_one_escalation_batch),
    ("tickle", sweep.handle_one_tickle_batch),
    ("digest", handle_one_digest),
    ("closing", closing.handle_one_closing_batch),  # rule 8: solved cases past reopen_within
    ("outbox", sending.handle_one_send_batch),
    ("planner statistics", planner.handle_planner_statistics),  # SQLite only, hourly
    # Open cases of someone gone (cases.leaving): handed on; the new owner's digest follows
    # in the next round.
    ("left behind", handle_one_left_behind),
    # Rule 15: customers whose cases all closed RELAYDESK_RETAIN_CLOSED_DAYS ago (off by default).
    ("retention", retention.handle_one_retention_batch),
)
PAUSE_AFTER_ERROR = 5.0


def _run(name: str, step: Step) -> bool:
    try:
        return step()
    except Exception:
        log.exception("the %s step failed; it will be tried again", name)
        connection.close()  # a broken connection must not poison the next round
        raise


def run_once() -> bool:
    """One round of every step; True if any of them did work."""
    did_work = False
    for name, step in STEPS:
        did_work = _run(name, step) or did_work
    return did_work


def run_due_work() -> dict[str, int]:
    """Every step, each until it has no more work: all that is due now (`worker --once`).

    Returns how many times each step did work (batches, digests, send rounds).
    """
    done = {}
    for name, step in STEPS:
        done[name] = 0
        while _run(name, step):
            done[name] += 1
    return done


def run_worker(stop: threading.Event) -> None:
    log.info("worker started")
    try:
        while not stop.is_set():
            close_old_connections()
            try:
                if run_once():
                    continue
                pause = sweep.seconds_to_sleep()
            except Exception:  # noqa: BLE001 - logged by _run; pause, then try again
                pause = PAUSE_AFTER_ERROR
            stop.wait(pause)
    finally:
        connection.close()
        log.info("worker stopped")
