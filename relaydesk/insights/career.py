"""A person's career record: their tier history and their last twelve months, month by month
(solved, pass rate, delighted, deadlines missed), with the customers' words about them.

Each month's figures have the trail's meanings (DESIGN rule 9) and are read in one grouped
query per kind of figure for the whole year, not a trail per month.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from relaydesk.cases.models import Event, EventKind, SurveyAnswer, ref_for
from relaydesk.insights.counts import ESCALATION_LATE
from relaydesk.insights.months import Month, month_of
from relaydesk.insights.surveys import DELIGHTED
from relaydesk.org.models import Staff, TierHistory

MONTHS = 12
WORDS = 30  # the customers' words shown, newest first


@dataclass
class MonthRecord:
    month: Month
    solved: int = 0
    passed: int = 0
    delighted: int = 0
    deadlines_missed: int = 0

    @property
    def pass_rate(self) -> float | None:
        handled = self.passed + self.solved
        return self.passed / handled if handled else None


@dataclass
class Career:
    staff: Staff
    history: list[TierHistory]
    months: list[MonthRecord]
    words: list[dict[str, Any]] = field(default_factory=list)


def last_months(moment: datetime, zone: str, count: int = MONTHS) -> list[Month]:
    """The `count` months up to and including the one holding `moment`, oldest first."""
    months = [month_of(moment, zone)]
    while len(months) < count:
        first = months[0]
        year, number = (first.year - 1, 12) if first.month == 1 else (first.year, first.month - 1)
        months.insert(0, Month(year, number, zone))
    return months


def career_of(staff: Staff, moment: datetime, zone: str) -> Career:
    months = last_months(moment, zone)
    records = {(m.year, m.month): MonthRecord(m) for m in months}
    start, end = months[0].start_utc, months[-1].end_utc
    tz = ZoneInfo(zone)
    _acts(staff.user, start, end, tz, records)
    _missed(staff.user, months, records)
    _surveys(staff.user, start, end, tz, records)
    history = list(staff.tier_history.select_related("tier").order_by("since", "id"))
    answers = (
        SurveyAnswer.objects.filter(solved_by=staff.user, answered_at__gte=start)
        .exclude(delighted="", fix="")
        .order_by("-answered_at", "-id")
        .values("case_id", "rating", "delighted", "fix", "answered_at")[:WORDS]
    )
    words = [{**answer, "ref": ref_for(answer["case_id"])} for answer in answers]
    return Career(staff=staff, history=history, months=list(records.values()), words=words)


def _acts(
    user: User, start: datetime, end: datetime, tz: ZoneInfo, records: dict[tuple[int, int], Any]
) -> None:
    """Solves and passes per local month: one query by the person's events (actor, at)."""
    rows = (
        Event.objects.filter(
            actor=user, at__gte=start, at__lt=end, kind__in=[EventKind.SOLVED, EventKind.PASSED]
        )
        .annotate(month=TruncMonth("at", tzinfo=tz))
        .values("month")
        .annotate(
            solved=Count("id", filter=Q(kind=EventKind.SOLVED)),
            passed=Count("id", filter=Q(kind=EventKind.PASSED)),
        )
        .order_by()
    )
    for row in rows:
        record = records.get((row["month"].year, row["month"].month))
        if record is not None:
            record.solved, record.passed = row["solved"], row["passed"]


def _missed(user: User, months: list[Month], records: dict[tuple[int, int], Any]) -> None:
    """Deadlines that fell while they held the case: escalations away from them, counted in
    the month of the deadline they name (as counts.deadlines_missed)."""
    rows = Event.objects.filter(
        kind=EventKind.ESCALATED,
        at__gte=months[0].start_utc,
        at__lt=months[-1].end_utc + ESCALATION_LATE,
        from_owner=user,
    ).values_list("data__deadline", flat=True)
    for deadline in rows:
        if not deadline:
            continue
        moment = datetime.fromisoformat(deadline)
        for month in months:
            if month.holds(moment):
                records[(month.year, month.month)].deadlines_missed += 1


def _surveys(
    user: User, start: datetime, end: datetime, tz: ZoneInfo, records: dict[tuple[int, int], Any]
) -> None:
    rows = (
        SurveyAnswer.objects.filter(
            solved_by=user, rating=DELIGHTED, answered_at__gte=start, answered_at__lt=end
        )
        .annotate(month=TruncMonth("answered_at", tzinfo=tz))
        .values("month")
        .annotate(delighted=Count("id"))
        .order_by()
    )
    for row in rows:
        record = records.get((row["month"].year, row["month"].month))
        if record is not None:
            record.delighted = row["delighted"]
