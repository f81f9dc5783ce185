"""The month's solves week by week, and how many of them were before the deadline, for the
month page's chart. Weeks are the month's days 1–7, 8–14, 15–21, 22–28 and 29 to the end, in
the company's time zone, so every week belongs to one month."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum

from relaydesk.cases.models import DayCount
from relaydesk.insights.months import Month

WEEK_DAYS = 7


@dataclass
class Week:
    first: date
    last: date
    solved: int = 0
    before_deadline: int = 0

    @property
    def label(self) -> str:
        return f"{self.first.day}–{self.last.day}"

    @property
    def share(self) -> float | None:
        return self.before_deadline / self.solved if self.solved else None


def weeks_of(month: Month) -> list[Week]:
    last_day = (month.end.date() - timedelta(days=1)).day
    return [
        Week(
            date(month.year, month.month, first),
            date(month.year, month.month, min(first + WEEK_DAYS - 1, last_day)),
        )
        for first in range(1, last_day + 1, WEEK_DAYS)
    ]


def solved_by_week(month: Month) -> list[Week]:
    """One query: the month's solves per local day (at most 31 rows), folded into weeks. The
    daily counts the actions keep (cases.day_counts: solves and those before the deadline,
    by local day) summed by day, not the month's solve events."""
    rows = (
        DayCount.objects.filter(day__gte=month.start.date(), day__lt=month.end.date())
        .values("day")
        .annotate(solved_sum=Sum("solved"), before=Sum("solved_before_deadline"))
        .order_by()
    )
    weeks = weeks_of(month)
    for row in rows:
        for week in weeks:
            if week.first <= row["day"] <= week.last:
                week.solved += row["solved_sum"]
                week.before_deadline += row["before"]
    return weeks
