"""Goodwill in the trail: what each person gave in the month (DESIGN rule 13).

The goodwill ledger is being built beside this; until its model is in the tree, the trail
shows no gestures ({count: 0, value: "0"}) rather than guess them from events.
"""

from dataclasses import dataclass
from decimal import Decimal

from relaydesk.insights.months import Month


@dataclass
class Given:
    count: int = 0
    value: Decimal = Decimal(0)


def goodwill_given(month: Month) -> dict[int, Given]:
    """Per giver (user id): the gestures given in the month and their value."""
    return {}
