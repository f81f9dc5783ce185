"""The cast with goodwill limits: frontline 25, specialist 50, expert 100, manager 500, the
executives none; a monthly budget of 2,000 EUR."""

from decimal import Decimal

import pytest

from relaydesk.org.models import Company, Tier

LIMITS = {"frontline": 25, "specialist": 50, "expert": 100, "manager": 500, "executive": 0}


@pytest.fixture
def limits(cast):
    for slug, limit in LIMITS.items():
        Tier.objects.filter(slug=slug).update(goodwill_limit=Decimal(limit))
    Company.objects.update(currency="EUR", goodwill_budget=Decimal(2000))
    return cast
