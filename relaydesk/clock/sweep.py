"""The worker's small steps: claim a batch of due work, do it, say whether there was any.

Each `handle_one_…_batch()` returns True when it did work ("call me again") and False when
nothing was due. A batch is one short transaction: the due cases are claimed with
`select_for_update(skip_locked=True)` ordered by due time, through the partial indexes
case_escalation_due_idx / case_tickle_due_idx, and the clock's action runs on each of them.

- PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint batches and never
  wait for each other.
- SQLite: Django leaves out FOR UPDATE there; every transaction starts with BEGIN IMMEDIATE
  (SQLITE_OPTIONS in settings), so the claim runs after the write lock is held: workers take
  turns, and each claim sees every earlier worker's committed escalations.

Either way the action (clock.actions.escalate / tickle) checks its rule again under the row
lock, so a case is escalated once per opening and tickled once per due time, whatever runs.
A worker killed mid-batch leaves an uncommitted transaction: nothing of the batch happened and
the next worker claims the same cases again.

The queries spell out the partial indexes' conditions (status open, not escalated) and order
by the indexed column, so the planner can walk the index from its oldest entry and stop at
the limit: the idle sweep reads one index entry. `escalated=False` compiles to a literal
`NOT "escalated"`; `status = 'open'` is bound as a parameter, which SQLite's planner still
matches against the index condition (it re-prepares the statement for the bound value), so a
literal would change nothing (measured). What SQLite does need is planner statistics
(ANALYZE): without sqlite_stat1 it takes an equality on status for ten rows, picks
case_status_recent_idx and sorts every open case (54 ms for the idle claim at 50,000 cases
against 0.06 ms with statistics); no ORM formulation avoids that, since every query that
matches the partial index has that equality. bench/clock_sweep.py prints both engines' plans.
"""

import logging
import time
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import QuerySet

from relaydesk.cases.models import Case, Status
from relaydesk.cases.notify import next_digest_at
from relaydesk.clock import actions, rota
from relaydesk.outbox.sending import next_mail_at
from relaydesk.timekeeping import now

log = logging.getLogger("relaydesk.clock")

BATCH_SIZE: int | None = None  # `relaydesk worker --batch-size` sets it for both sweeps
# A batch is one transaction: on SQLite it holds the one write lock, so it stays short; on
# PostgreSQL it holds only its own rows' locks, and other workers skip them.
ESCALATION_BATCH_SIZE = {"sqlite": 200, "postgresql": 500}
TICKLE_BATCH_SIZE = 100
MAX_IDLE = timedelta(seconds=15)


def escalation_batch_size() -> int:
    return BATCH_SIZE or ESCALATION_BATCH_SIZE.get(connection.vendor, 100)


def tickle_batch_size() -> int:
    return BATCH_SIZE or TICKLE_BATCH_SIZE


def escalation_due(moment: datetime) -> QuerySet[Case]:
    """Open, not escalated in this opening, not waiting for the customer (rule 16), deadline
    passed (case_escalation_due_idx)."""
    return Case.objects.filter(
        status=Status.OPEN, escalated=False, waiting_since__isnull=True, deadline__lte=moment
    )


def tickle_due(moment: datetime) -> QuerySet[Case]:
    """Open with a tickle time passed (case_tickle_due_idx). A case waiting for the customer
    (rule 16) has only its give-up reminder there, so it comes once, not every interval."""
    return Case.objects.filter(status=Status.OPEN, next_tickle_at__lte=moment)


def claim(due: QuerySet[Case], order_by: str, limit: int) -> list[int]:
    """Ids of due cases, most overdue first, locked for this transaction; others skip them."""
    claimed = due.select_for_update(skip_locked=True, of=("self",)).order_by(order_by)
    return list(claimed.values_list("id", flat=True)[:limit])


def handle_one_escalation_batch(limit: int | None = None) -> bool:
    limit = limit or escalation_batch_size()
    started = time.monotonic()
    with transaction.atomic():
        moment = now()
        ids = claim(escalation_due(moment), "deadline", limit)
        if not ids:
            return False
        on_duty = rota.executive_on_duty(moment)
        escalated = sum(
            actions.escalate(Case(pk=case_id), on_duty=on_duty) is not None for case_id in ids
        )
    log.info(
        "escalated %d of %d claimed cases to %s (%s) in %.2f s",
        escalated,
        len(ids),
        on_duty.staff.display_name if on_duty.staff else "nobody",
        on_duty.source,
        time.monotonic() - started,
    )
    return True


def handle_one_tickle_batch(limit: int | None = None) -> bool:
    limit = limit or tickle_batch_size()
    started = time.monotonic()
    with transaction.atomic():
        ids = claim(tickle_due(now()), "next_tickle_at", limit)
        if not ids:
            return False
        tickled = sum(actions.tickle(Case(pk=case_id)) is not None for case_id in ids)
    log.info(
        "tickled %d of %d claimed cases in %.2f s", tickled, len(ids), time.monotonic() - started
    )
    return True


def next_due_at() -> datetime | None:
    """The earliest moment anything becomes due: a deadline, a tickle, a digest or a mail."""
    moment = now()
    candidates = [
        # From now on: what is already due was claimed by this round (or by another worker).
        # Escalated cases keep their past deadlines while open, so without this bound
        # case_open_deadline_idx, which SQLite may prefer, would walk all of them first.
        Case.objects.filter(
            status=Status.OPEN, escalated=False, waiting_since__isnull=True, deadline__gte=moment
        )
        .order_by("deadline")
        .values_list("deadline", flat=True)
        .first(),
        Case.objects.filter(status=Status.OPEN, next_tickle_at__isnull=False)
        .order_by("next_tickle_at")
        .values_list("next_tickle_at", flat=True)
        .first(),
        next_digest_at(),
        next_mail_at(),
    ]
    present = [at for at in candidates if at is not None]
    return min(present) if present else None


def seconds_to_sleep(*, floor: float = 0.5) -> float:
    """How long the worker may sleep: until the next due moment, at most MAX_IDLE."""
    upcoming = next_due_at()
    cap = MAX_IDLE.total_seconds()
    if upcoming is None:
        return cap
    return max(floor, min(cap, (upcoming - now()).total_seconds()))
