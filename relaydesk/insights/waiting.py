"""Time spent waiting for customers in a month (DESIGN rule 16), per person who asked.

A wait starts with the owner's `replied` event marked waiting and ends with the case's next
`resumed` event (cases.actions._end_waiting). It is credited to the person who asked (only the
owner can; a pass or take ends the wait, a leaver's cases carry theirs on to the successor,
cases.leaving). Each wait counts for the part of it inside the month (and not beyond now).
"""

from datetime import datetime

from django.db.models import OuterRef, Subquery

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
    """(who asked, since, until or None) of every wait that overlaps the month."""
    start, end = month.start_utc, month.end_utc
    ended_by = (
        Event.objects.filter(
            case=OuterRef("case"),
            kind=EventKind.RESUMED,
            at__gte=OuterRef("at"),  # a range of (case, at): the index, not the whole table
            id__gt=OuterRef("pk"),
        )
        .order_by("at", "id")
        .values("at")[:1]
    )
    begun = (
        Event.objects.filter(at__gte=start, at__lt=end, kind=EventKind.REPLIED, data__waiting=True)
        .annotate(until=Subquery(ended_by))
        .order_by()
    )
    waits: list[tuple[int | None, datetime, datetime | None]] = [
        (actor, at, until) for actor, at, until in begun.values_list("actor", "at", "until")
    ]
    # Waits begun before the month: ended in it or after it, or going on still.
    asked_by = (
        Event.objects.filter(
            case=OuterRef("case"),
            kind=EventKind.REPLIED,
            data__waiting=True,
            at__lte=OuterRef("at"),
            id__lt=OuterRef("pk"),
        )
        .order_by("-at", "-id")
        .values("actor")[:1]
    )
    ended = (
        Event.objects.filter(at__gte=start, kind=EventKind.RESUMED)
        .annotate(asker=Subquery(asked_by))
        .order_by()
    )
    for asker, at, since in ended.values_list("asker", "at", "data__waiting_since"):
        began = datetime.fromisoformat(since) if since else at
        if began < start:
            waits.append((asker, began, at))
    # Only an open case waits (a solve ends the wait): the open ones are few and indexed.
    still = Case.objects.filter(status=Status.OPEN, waiting_since__lt=start).values_list(
        "owner", "waiting_since"
    )
    waits.extend((owner, since, None) for owner, since in still if since is not None)
    return waits
