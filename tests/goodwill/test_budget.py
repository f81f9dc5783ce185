"""The monthly budget: pending gestures count against it, a gesture counts in the month it was
approved (in the company's time zone), and one that would go over needs an executive."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Notification
from relaydesk.goodwill.actions import approve_goodwill, give_goodwill
from relaydesk.goodwill.budget import Month, budget_for
from relaydesk.goodwill.ledger import given_by_person, goodwill_in_month
from relaydesk.goodwill.models import State
from relaydesk.org.models import Company
from tests.factories import make_case

NOV_TENTH = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


def give(cast, who, value):
    case = make_case(category=cast.billing, acting=who)
    return give_goodwill(case, acting=who, kind="credit", value=value, note="Sorry.")


def test_given_and_pending_gestures_count_against_the_month(limits):
    with time_machine.travel(NOV_TENTH, tick=False):
        give(limits, limits.fran, "20")
        give(limits, limits.fran, "300")  # waits for mia
        budget = budget_for(Month(2026, 11))

    assert (budget.given, budget.pending, budget.left) == (
        Decimal("20.00"),
        Decimal("300.00"),
        Decimal("1680.00"),
    )


def test_a_gesture_that_would_go_over_the_budget_needs_an_executive(limits):
    Company.objects.update(goodwill_budget=Decimal(100))
    with time_machine.travel(NOV_TENTH, tick=False):
        give(limits, limits.mia, "90")  # within mia's limit and the budget: given
        gesture = give(limits, limits.mia, "20")  # within her limit, but 10 over the budget

        assert (gesture.state, gesture.over_budget) == (State.PENDING, True)
        assert Notification.objects.filter(text__contains="approve").get().user == limits.ed
        with pytest.raises(DomainError, match="only an executive"):
            approve_goodwill(gesture, acting=limits.eve)  # her limit (100) covers 20
        assert approve_goodwill(gesture, acting=limits.ed).state == State.GIVEN


def test_an_executive_may_go_over_the_budget_at_once(limits):
    Company.objects.update(goodwill_budget=Decimal(10))
    with time_machine.travel(NOV_TENTH, tick=False):
        assert give(limits, limits.ed, "50").state == State.GIVEN


def test_a_gesture_counts_in_the_month_it_was_approved_in_the_company_zone(limits):
    with time_machine.travel(datetime(2026, 11, 30, 20, 0, tzinfo=UTC), tick=False):
        gesture = give(limits, limits.fran, "80")
    # 23:30 UTC on 30 November is 00:30 on 1 December in Amsterdam
    with time_machine.travel(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), tick=False):
        approve_goodwill(gesture, acting=limits.mia)
        assert budget_for(Month(2026, 12)).given == Decimal("80.00")

    assert [g.pk for g in goodwill_in_month(Month(2026, 12))] == [gesture.pk]
    assert list(goodwill_in_month(Month(2026, 11))) == []
    assert budget_for(Month(2026, 11)).given == Decimal("0.00")


def test_without_a_budget_nothing_limits_the_month(limits):
    Company.objects.update(goodwill_budget=None)
    with time_machine.travel(NOV_TENTH, tick=False):
        gesture = give(limits, limits.mia, "450")

    assert gesture.state == State.GIVEN
    assert budget_for(Month(2026, 11)).left is None


def test_the_trail_reads_what_each_person_gave_in_the_month_approved(limits):
    with time_machine.travel(NOV_TENTH, tick=False):
        give(limits, limits.fran, "20")
        give(limits, limits.fran, "5.50")
        waiting = give(limits, limits.fran, "80")
        give(limits, limits.sam, "30")
    start, end = Month(2026, 11).span()

    assert given_by_person(start, end) == {
        limits.fran.pk: (2, Decimal("25.50")),
        limits.sam.pk: (1, Decimal("30.00")),
    }
    with time_machine.travel(NOV_TENTH, tick=False):
        approve_goodwill(waiting, acting=limits.mia)
    assert given_by_person(start, end)[limits.fran.pk] == (3, Decimal("105.50"))
