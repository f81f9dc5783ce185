"""A month of the trail: half-open [the 1st at 00:00, the next 1st at 00:00) in the company's
time zone (DESIGN rule 9), so a night the clocks change makes a month an hour shorter or
longer, and a solve at 00:30 local on the 1st belongs to the new month even while it is
still the old month in UTC."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

MONTH = re.compile(r"(\d{4})-(\d{2})")


class BadMonth(ValueError):
    """Not a month written YYYY-MM (the sentence says what was wrong)."""


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    time_zone: str

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self) -> datetime:
        """The 1st at 00:00 in the company's zone (aware, in that zone)."""
        return datetime(self.year, self.month, 1, tzinfo=ZoneInfo(self.time_zone))

    @property
    def end(self) -> datetime:
        """The next month's 1st at 00:00 in the company's zone: not part of this month."""
        year, month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        return datetime(year, month, 1, tzinfo=ZoneInfo(self.time_zone))

    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return self.end.astimezone(UTC)

    def holds(self, moment: datetime) -> bool:
        return self.start_utc <= moment < self.end_utc


def parse_month(text: str, time_zone: str) -> Month:
    """`2026-10` in `time_zone`; BadMonth with a plain sentence for anything else."""
    found = MONTH.fullmatch((text or "").strip())
    if found is None:
        raise BadMonth(f"{text!r} is not a month: write it as YYYY-MM, e.g. 2026-10.")
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12:
        raise BadMonth(f"{text!r} is not a month: the month is 01 to 12.")
    if not 2 <= year <= 9998:  # year 1 in a zone east of UTC starts before datetime.min
        raise BadMonth(f"{text!r} is not a month we can count.")
    return Month(year, month, time_zone)


def month_of(moment: datetime, time_zone: str) -> Month:
    """The month holding `moment` in the company's zone."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return Month(local.year, local.month, time_zone)
