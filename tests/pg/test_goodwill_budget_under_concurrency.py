"""The month's goodwill budget when many owners give at the same moment (PostgreSQL): the
company row's lock makes them count one after another, so the budget is never overspent by
gestures that each saw the same money left."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from relaydesk.cases.models import Case
from relaydesk.goodwill.actions import give_goodwill
from relaydesk.goodwill.models import Gesture, State
from relaydesk.org.models import Company, Tier
from tests.factories import make_case, make_staff
from tests.pg.test_single_owner_under_concurrency import run_together

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]

GIVERS = 12


def giver(case_pk, user_pk):
    def job():
        acting = User.objects.select_related("staff__tier").get(pk=user_pk)
        case = Case.objects.get(pk=case_pk)
        return give_goodwill(case, acting=acting, kind="credit", value=20, note="Sorry.")

    return job


def test_twelve_owners_giving_at_once_spend_the_budget_at_most_once(cast):
    Tier.objects.filter(slug="frontline").update(goodwill_limit=Decimal(25))
    Company.objects.update(goodwill_budget=Decimal(100))  # room for five gestures of 20
    people = [
        make_staff(f"giver{number}", cast.tiers["frontline"]).user for number in range(GIVERS)
    ]
    cases = [make_case(category=cast.billing, acting=person) for person in people]

    outcomes = run_together([giver(c.pk, p.pk) for c, p in zip(cases, people, strict=True)])

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    states = sorted(Gesture.objects.values_list("state", "over_budget"))
    assert states.count((State.GIVEN, False)) == 5
    assert states.count((State.PENDING, True)) == GIVERS - 5  # these wait for an executive
