"""Time spent waiting for customers in a month (DESIGN rule 16), per person who asked.

A wait starts with the owner's `replied` event marked waiting and ends with the case's next
`resumed` event (cases.actions._end_waiting). It is credited to the person who asked (only the
owner can; a pass or take ends the wait, a leaver's cases carry theirs on to the successor,
cases.leaving). Each wait counts for the part of it inside the month (and not beyond now).
"""

from datetime import datetime
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from relaydesk.cases.models import Case, Event, EventKind, Status
from relaydesk.insights.months import Month
from relaydesk.timekeeping import now


def _overlap(month: Month, since: datetime, until: datetime | None, moment: datetime) -> float:
    ends = min(until or moment, moment, month.end_utc)
    begins = max(since, month.start_utc)
    return max(0.0, (ends - begins).total_seconds())


def waiting_seconds(month: Month) -> dict[int, float]:
    """Per person: seconds of the month their cases spent waiting for the customer."""
    moment = now()
    totals: dict[int, float] = {}
    for waiter, since, until in _waits(month):
        if waiter is not None:
            totals[waiter] = totals.get(waiter, 0.0) + _overlap(month, since, until, moment)
    return totals


def _waits(month: Month) -> list[tuple[int | None, datetime, datetime | None]]:
    """(who asked, since, until or None) of every wait that overlaps the month.

    A wait that has ended has its `resumed` event, which names when it began: those resumed
    since the month's start and begun before its end (a few rows of one kind, each with one
    look back at who asked). A wait still going is on an open case (only an open case waits):
    the open ones are few and indexed.
    """
    start, end = month.start_utc, month.end_utc
    waits: list[tuple[int | None, datetime, datetime | None]] = []
    ended = ended_since(month).annotate(asker=Subquery(_asked_by("at", "pk")))
    for asker, at, since in ended.values_list("asker", "at", "data__waiting_since"):
        began = datetime.fromisoformat(since) if since else at
        if began < end:
            waits.append((asker, began, at))
    # Still waiting: begun before the month, credited to the owner now (a leaver's successor
    # carries it on, cases.leaving); begun in it, to the one who asked.
    still = (
        Case.objects.filter(status=Status.OPEN, waiting_since__lt=end)
        .annotate(asker=Subquery(_asked_by("waiting_since", None)))
        .values_list("owner", "asker", "waiting_since")
    )
    for owner, asker, since in still:
        if since is not None:
            waits.append((owner if since < start else asker, since, None))
    return waits


def ended_since(month: Month) -> QuerySet[Event]:
    """The ends of waits (`resumed` events) since the month's start, from their own index
    (event_resumed_idx), not from every event since."""
    return Event.objects.filter(at__gte=month.start_utc, kind=EventKind.RESUMED).order_by()


def _asked_by(moment: str, before: str | None) -> QuerySet[Event, dict[str, Any]]:
    """The actor of the case's last reply that began a wait, at or before `moment` (and
    before the event `before`), walking the case's events back by (case, at)."""
    case = "case" if before is not None else "pk"
    asked = Event.objects.filter(
        case=OuterRef(case),
        kind=EventKind.REPLIED,
        data__waiting=True,
        at__lte=OuterRef(moment),
    )
    if before is not None:
        asked = asked.filter(id__lt=OuterRef(before))
    return asked.order_by("-at", "-id").values("actor")[:1]
