"""The executive's scorecard ("gets it solved or gets fired"): per executive and month, the
cases they received at the deadline (escalated to them), how many were solved within 4 h and
24 h of receiving them, and how many were still open at the month's end."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import OuterRef, Subquery

from relaydesk.cases.models import Event, EventKind
from relaydesk.insights.months import Month
from relaydesk.org.models import Staff, Tier

QUICK = timedelta(hours=4)
DAY = timedelta(hours=24)


@dataclass
class ExecutiveMonth:
    user_id: int
    name: str
    received: int = 0
    within_4h: int = 0
    within_24h: int = 0
    open_at_end: int = 0


def scorecard(month: Month) -> list[ExecutiveMonth]:
    """Everyone at the top tier, and anyone else who received an escalation in the month."""
    first_solve = (
        Event.objects.filter(case=OuterRef("case"), kind=EventKind.SOLVED, id__gt=OuterRef("pk"))
        .order_by("id")
        .values("at")[:1]
    )
    rows = (
        Event.objects.filter(
            kind=EventKind.ESCALATED,
            at__gte=month.start_utc,
            at__lt=month.end_utc,
            to_owner__isnull=False,
        )
        .annotate(solved_at=Subquery(first_solve))
        .values_list("to_owner", "at", "solved_at")
    )
    top = Tier.objects.order_by("-rank").values("rank")[:1]
    executives = {
        user_id: ExecutiveMonth(user_id, "")
        for user_id in Staff.objects.filter(tier__rank=Subquery(top), active=True).values_list(
            "user_id", flat=True
        )
    }
    for holder, received, solved_at in rows:
        line = executives.setdefault(holder, ExecutiveMonth(holder, ""))
        line.received += 1
        if solved_at is not None and solved_at - received <= QUICK:
            line.within_4h += 1
        if solved_at is not None and solved_at - received <= DAY:
            line.within_24h += 1
        if solved_at is None or solved_at >= month.end_utc:
            line.open_at_end += 1
    for user in User.objects.filter(pk__in=executives):
        executives[user.pk].name = user.get_full_name() or user.username
    return sorted(executives.values(), key=lambda e: (-e.received, e.name))
