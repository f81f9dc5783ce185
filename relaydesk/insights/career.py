"""A person's career record: their tier history and their last twelve months, month by month
(solved, pass rate, delighted, deadlines missed), with the customers' words about them.

Each month's figures have the trail's meanings (DESIGN rule 9) and are read in one grouped
query per kind of figure for the whole year, not a trail per month.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, Count, F, IntegerField, Sum, Value, When

from relaydesk.cases.models import DayCount, Event, EventKind, SurveyAnswer, ref_for
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
    records = [MonthRecord(m) for m in months]
    start = months[0].start_utc
    _acts(staff.user, records)
    _missed(staff.user, months, records)
    _delighted(staff.user, records)
    history = list(staff.tier_history.select_related("tier").order_by("since", "id"))
    answers = (
        SurveyAnswer.objects.filter(solved_by=staff.user, answered_at__gte=start)
        .exclude(delighted="", fix="")
        .order_by("-answered_at", "-id")
        .values("case_id", "rating", "delighted", "fix", "answered_at")[:WORDS]
    )
    words = [{**answer, "ref": ref_for(answer["case_id"])} for answer in answers]
    return Career(staff=staff, history=history, months=records, words=words)


def _month_number(records: list[MonthRecord], at: str) -> Case:
    """Which of the months (0 = the oldest) a row's time falls in, by comparing times only:
    grouping by a local month would convert every row's time (in SQLite, in Python), and one
    filtered count per month would test every row twelve times."""
    return Case(
        *(When(**{f"{at}__lt": r.month.end_utc}, then=Value(n)) for n, r in enumerate(records)),
        output_field=IntegerField(),
    )


def _acts(user: User, records: list[MonthRecord]) -> None:
    """Solves and passes per month, as the trail counts them: the person's daily roll-ups
    (cases.day_counts, local days, so a month is its days) summed by month, one query over a
    year of days (day_count_day_idx) instead of a year of their events."""
    days = [When(day__lt=r.month.end.date(), then=Value(n)) for n, r in enumerate(records)]
    rows = (
        DayCount.objects.filter(
            person=user,
            day__gte=records[0].month.start.date(),
            day__lt=records[-1].month.end.date(),
        )
        .values(number=Case(*days, output_field=IntegerField()))
        .annotate(
            solved_sum=Sum("solved"),
            passed_sum=Sum(F("passed_up") + F("passed_same") + F("passed_down")),
        )
        .order_by()
    )
    for row in rows:
        records[row["number"]].solved = row["solved_sum"]
        records[row["number"]].passed = row["passed_sum"]


def _missed(user: User, months: list[Month], records: list[MonthRecord]) -> None:
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
        for record in records:
            if record.month.holds(moment):
                record.deadlines_missed += 1


def _delighted(user: User, records: list[MonthRecord]) -> None:
    rows = (
        SurveyAnswer.objects.filter(
            solved_by=user,
            rating=DELIGHTED,
            answered_at__gte=records[0].month.start_utc,
            answered_at__lt=records[-1].month.end_utc,
        )
        .values(number=_month_number(records, "answered_at"))
        .annotate(delighted=Count("id"))
        .order_by()
    )
    for row in rows:
        records[row["number"]].delighted = row["delighted"]
