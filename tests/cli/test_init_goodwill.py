"""The company file's goodwill keys (rule 13): `currency`, `goodwill_budget` and each tier's
`goodwill_limit`, checked with their lines like every other key."""

from decimal import Decimal

import pytest

from relaydesk.org.models import Company, Tier
from tests.cli.test_init import GOOD, init, line_of, problems_in, snapshot, write

pytestmark = pytest.mark.django_db

MONEY = 'currency = "GBP"\ngoodwill_budget = 1500.50\n'


def with_keys(company: str = MONEY, frontline: str = "goodwill_limit = 25\n") -> str:
    text = GOOD.replace(
        'time_zone = "Europe/Amsterdam"\n', f'time_zone = "Europe/Amsterdam"\n{company}'
    )
    return text.replace('name = "Frontline"\n', f'name = "Frontline"\n{frontline}', 1)


def test_init_sets_the_currency_the_budget_and_the_tier_limits_and_keeps_them(tmp_path):
    init(write(tmp_path, with_keys()))
    company = Company.objects.get()
    assert (company.currency, company.goodwill_budget) == ("GBP", Decimal("1500.50"))
    assert Tier.objects.get(slug="frontline").goodwill_limit == Decimal(25)
    assert Tier.objects.get(slug="manager").goodwill_limit == Decimal(0)  # none given: 0

    init(write(tmp_path, GOOD))  # keys left out: kept
    company.refresh_from_db()
    assert (company.currency, company.goodwill_budget) == ("GBP", Decimal("1500.50"))
    assert Tier.objects.get(slug="frontline").goodwill_limit == Decimal(25)


@pytest.mark.parametrize(
    ("company", "frontline", "needle", "problem"),
    [
        ('currency = "euro"\n', "", "currency", 'company.currency: "euro" is not a currency'),
        ("goodwill_budget = -5\n", "", "goodwill_budget", "company.goodwill_budget: -5 is not"),
        (
            'goodwill_budget = "lots"\n',
            "",
            "goodwill_budget",
            'company.goodwill_budget: write an amount as a number such as 25 or 12.50, not "lots"',
        ),
        ("", "goodwill_limit = 2.555\n", "goodwill_limit", "tiers[1].goodwill_limit: 2.555 is"),
    ],
)
def test_a_bad_goodwill_value_is_reported_at_its_line(
    tmp_path, company, frontline, needle, problem
):
    text = with_keys(company, frontline)

    found = problems_in(tmp_path, text)

    assert len(found) == 1
    assert found[0].startswith(f"line {line_of(text, needle)}: {problem}"), found
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_the_executive_tier_has_no_limit(tmp_path):
    text = GOOD.replace('name = "Executive"\n', 'name = "Executive"\ngoodwill_limit = 900\n')

    found = problems_in(tmp_path, text)

    assert found == [
        f"line {line_of(text, 'goodwill_limit')}: tiers[3].goodwill_limit: the last tier "
        '("executive") is the executive tier, which has no goodwill limit: leave '
        "goodwill_limit out"
    ]
