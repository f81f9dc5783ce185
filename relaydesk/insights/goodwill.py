"""Goodwill in the trail: what each person gave in the month (DESIGN rule 13), read from the
goodwill ledger. A gesture counts in the month it was given: approved, or given at once."""

from dataclasses import dataclass
from decimal import Decimal

from relaydesk.goodwill.ledger import given_by_person
from relaydesk.insights.months import Month


@dataclass
class Given:
    count: int = 0
    value: Decimal = Decimal(0)


def goodwill_given(month: Month) -> dict[int, Given]:
    """Per giver (user id): the gestures given in the month and their value. One query."""
    rows = given_by_person(month.start_utc, month.end_utc)
    return {giver: Given(count, value) for giver, (count, value) in rows.items()}
