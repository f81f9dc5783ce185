"""The worker's small steps: claim a batch of due work, do it, say whether there was any.

Each `handle_one_…_batch()` returns True when it did work ("call me again") and False when
nothing was due. A batch is one short transaction:

- PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED` ordered by due time (through the partial
  indexes case_escalation_due_idx / case_tickle_due_idx), so concurrent workers take disjoint
  batches and never wait for each other.
- SQLite: every transaction starts with BEGIN IMMEDIATE (see SQLITE_OPTIONS in settings), so
  writers take turns; the claim query runs after the write lock is held and therefore sees
  every earlier worker's committed escalations.

Either way the action (clock.actions.escalate / tickle) checks its rule again under the row
lock, so a case is escalated once per opening and tickled once per due time, whatever runs.
A worker killed mid-batch leaves an uncommitted transaction: nothing of the batch happened and
the next worker claims the same cases again.
"""

import logging
import time
from datetime import datetime, timedelta

from django.db import connection, transaction

from relaydesk.cases.models import Case, Status
from relaydesk.clock import actions, rota
from relaydesk.outbox.models import OutgoingMail
from relaydesk.timekeeping import now

log = logging.getLogger("relaydesk.clock")

BATCH_SIZE: int | None = None  # `relaydesk worker --batch-size` sets it for both sweeps
# Escalations are written in bulk (actions.escalate_many), so a bigger batch costs little more
# than a small one: fewer commits (and SQLite checkpoints) per thousand cases. On SQLite the
# batch holds the one write lock, so it stays near 0.2 s at a million cases; on PostgreSQL it
# holds only its own rows' locks (under a second), and other workers skip them
# (docs/performance.md, the clock).
ESCALATION_BATCH_SIZE = {"sqlite": 500, "postgresql": 2000}
TICKLE_BATCH_SIZE = 100  # tickles are written one by one (actions.tickle)
MAX_IDLE = timedelta(seconds=15)


def escalation_batch_size() -> int:
    return BATCH_SIZE or ESCALATION_BATCH_SIZE.get(connection.vendor, 100)


def tickle_batch_size() -> int:
    return BATCH_SIZE or TICKLE_BATCH_SIZE


def _claim(queryset, order_by: str, limit: int) -> list[int]:
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    return list(queryset.order_by(order_by).values_list("id", flat=True)[:limit])


# SQLite binds 'open' as a parameter, and then its planner cannot see that a query matches a
# partial index's condition: it picks case_open_deadline_idx and wades through every
# escalated case. Literal conditions plus INDEXED BY keep the sweeps on their partial indexes
# (and make SQLite fail loudly, "no query solution", if the index ever stops matching).
SQLITE_DUE = {
    "escalation": (
        'SELECT "id" FROM "cases_case" INDEXED BY "case_escalation_due_idx" '
        'WHERE NOT "escalated" AND "status" = \'open\' AND "deadline" <= %s '
        'ORDER BY "deadline" LIMIT %s'
    ),
    "tickle": (
        'SELECT "id" FROM "cases_case" INDEXED BY "case_tickle_due_idx" '
        'WHERE "status" = \'open\' AND "next_tickle_at" <= %s '
        'ORDER BY "next_tickle_at" LIMIT %s'
    ),
    "mail": (
        'SELECT "id" FROM "outbox_outgoingmail" INDEXED BY "outbox_due_idx" '
        'WHERE "status" = \'queued\' AND "next_attempt_at" <= %s '
        'ORDER BY "next_attempt_at" LIMIT %s'
    ),
}
SQLITE_NEXT = {
    "escalation": (
        'SELECT MIN("deadline") FROM "cases_case" INDEXED BY "case_escalation_due_idx" '
        'WHERE NOT "escalated" AND "status" = \'open\''
    ),
    "tickle": (
        'SELECT MIN("next_tickle_at") FROM "cases_case" INDEXED BY "case_tickle_due_idx" '
        "WHERE \"status\" = 'open'"
    ),
    "mail": (
        'SELECT MIN("next_attempt_at") FROM "outbox_outgoingmail" INDEXED BY "outbox_due_idx" '
        "WHERE \"status\" = 'queued'"
    ),
}


def sqlite_due_ids(kind: str, moment: datetime, limit: int) -> list[int]:
    """Due row ids on SQLite, through the partial index (called inside the write lock)."""
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_DUE[kind], [connection.ops.adapt_datetimefield_value(moment), limit])
        return [row[0] for row in cursor.fetchall()]


def due_ids(kind: str, queryset, order_by: str, moment: datetime, limit: int) -> list[int]:
    if connection.vendor == "sqlite":
        return sqlite_due_ids(kind, moment, limit)
    return _claim(queryset, order_by, limit)


def escalation_due(moment: datetime):
    """Open, not escalated in this opening, deadline passed (matches case_escalation_due_idx)."""
    return Case.objects.filter(status=Status.OPEN, escalated=False, deadline__lte=moment)


def tickle_due(moment: datetime):
    """Open with a tickle time passed (matches case_tickle_due_idx)."""
    return Case.objects.filter(status=Status.OPEN, next_tickle_at__lte=moment)


def handle_one_escalation_batch(limit: int | None = None) -> bool:
    limit = limit or escalation_batch_size()
    started = time.monotonic()
    with transaction.atomic():
        moment = now()
        ids = due_ids("escalation", escalation_due(moment), "deadline", moment, limit)
        if not ids:
            return False
        on_duty = rota.executive_on_duty(moment)
        escalated = len(actions.escalate_many(ids, on_duty=on_duty))
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
        moment = now()
        ids = due_ids("tickle", tickle_due(moment), "next_tickle_at", moment, limit)
        if not ids:
            return False
        tickled = sum(actions.tickle(Case(pk=case_id)) is not None for case_id in ids)
    log.info(
        "tickled %d of %d claimed cases in %.2f s", tickled, len(ids), time.monotonic() - started
    )
    return True


def next_due_at() -> datetime | None:
    """The earliest moment anything becomes due: a deadline, a tickle or a queued mail."""
    if connection.vendor == "sqlite":
        candidates = []
        with connection.cursor() as cursor:
            for sql in SQLITE_NEXT.values():
                cursor.execute(sql)
                value = cursor.fetchone()[0]
                if value is not None:
                    candidates.append(
                        connection.ops.convert_datetimefield_value(value, None, connection)
                    )
        return min(candidates) if candidates else None
    candidates = [
        Case.objects.filter(status=Status.OPEN, escalated=False)
        .order_by("deadline")
        .values_list("deadline", flat=True)
        .first(),
        Case.objects.filter(status=Status.OPEN, next_tickle_at__isnull=False)
        .order_by("next_tickle_at")
        .values_list("next_tickle_at", flat=True)
        .first(),
        OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first(),
    ]
    present = [moment for moment in candidates if moment is not None]
    return min(present) if present else None


def seconds_to_sleep(*, floor: float = 0.5) -> float:
    """How long the worker may sleep: until the next due moment, at most MAX_IDLE."""
    upcoming = next_due_at()
    cap = MAX_IDLE.total_seconds()
    if upcoming is None:
        return cap
    return max(floor, min(cap, (upcoming - now()).total_seconds()))
