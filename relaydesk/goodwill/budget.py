"""Rule 13's money: each tier's limit per gesture, the monthly budget and what is left of it.

A month is the company's (half-open, from the 1st 00:00 to the next 1st 00:00 in its time
zone). A given gesture counts in the month it was approved (`decided_at`); a pending one counts
against the budget now, whenever it was asked, since approving it spends it.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet, Subquery, Sum

from relaydesk.cases.errors import Incomplete
from relaydesk.goodwill.models import Gesture, State
from relaydesk.org.company import company_time_zone
from relaydesk.org.models import Company, Tier
from relaydesk.timekeeping import now

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return datetime.date(self.year, self.month, 1).strftime("%B %Y")

    def span(self, zone: str | None = None) -> tuple[datetime.datetime, datetime.datetime]:
        """[1st 00:00, next 1st 00:00) in the company's time zone, as aware moments."""
        tz = ZoneInfo(zone or company_time_zone())
        following = Month(self.year + self.month // 12, self.month % 12 + 1)
        start = datetime.datetime(self.year, self.month, 1, tzinfo=tz)
        end = datetime.datetime(following.year, following.month, 1, tzinfo=tz)
        return start, end

    @classmethod
    def of(cls, moment: datetime.datetime, zone: str | None = None) -> "Month":
        local = moment.astimezone(ZoneInfo(zone or company_time_zone()))
        return cls(local.year, local.month)

    @classmethod
    def parse(cls, text: str, *, field: str = "month") -> "Month":
        """ "2026-12" → Month(2026, 12); Incomplete (a field error) for anything else."""
        found = re.fullmatch(r"([0-9]{4})-([0-9]{2})", (text or "").strip())
        # Years 1 and 9999 would run past datetime's range in the company's zone.
        if found and 1 <= int(found[2]) <= 12 and 2 <= int(found[1]) <= 9998:
            return cls(int(found[1]), int(found[2]))
        raise Incomplete(
            f"Write the month as YYYY-MM, like 2026-12, not {text[:20]!r}.",
            fields={field: "Write it as YYYY-MM."},
        )


def top_rank() -> int | None:
    return Tier.objects.order_by("-rank").values_list("rank", flat=True).first()


def limit_of(tier: Tier, top: int | None) -> Decimal | None:
    """What `tier` may give (or approve) per gesture on its own; None: no limit (the top tier)."""
    return None if tier.rank == top else tier.goodwill_limit


def covers(tier: Tier, value: Decimal, top: int | None) -> bool:
    limit = limit_of(tier, top)
    return limit is None or value <= limit


@dataclass(frozen=True)
class Budget:
    """One month's budget: what was given in it, what waits, and what is left (None: no
    budget set)."""

    month: Month
    currency: str
    budget: Decimal | None
    given: Decimal
    pending: Decimal

    @property
    def left(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.given - self.pending

    def goes_over(self, value: Decimal) -> bool:
        left = self.left
        return left is not None and value > left


def _total(gestures: QuerySet[Gesture]) -> Subquery:
    """The sum of `gestures`' values as a subquery (None when there are none)."""
    one_group = gestures.order_by().values("state").annotate(total=Sum("value"))
    return Subquery(one_group.values("total")[:1])


def _cents(total: Decimal | None) -> Decimal:
    """A sum as money (SQLite's sum of 20.00 and 60.00 reads back as 80)."""
    return ZERO if total is None else Decimal(total).quantize(ZERO)


def budget_for(month: Month, *, zone: str | None = None) -> Budget:
    """The month's budget and what counts against it, in one query (two without `zone`).
    Pending gestures count against the current month only: approving one spends it now."""
    zone = zone or company_time_zone()
    start, end = month.span(zone)
    current = month == Month.of(now(), zone)
    given = Gesture.objects.filter(state=State.GIVEN, decided_at__gte=start, decided_at__lt=end)
    found = (
        Company.objects.order_by("id")
        .annotate(given=_total(given), pending=_total(Gesture.objects.filter(state=State.PENDING)))
        .values("currency", "goodwill_budget", "given", "pending")
        .first()
    )
    row: dict[str, Any] = dict(found) if found is not None else {}
    return Budget(
        month=month,
        currency=row.get("currency") or "EUR",
        budget=row.get("goodwill_budget"),
        given=_cents(row.get("given")),
        pending=_cents(row.get("pending")) if current else ZERO,
    )
