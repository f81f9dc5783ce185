"""Deadlines: the category's solve window, the realtime lane's hour, a new one on reopening."""

from datetime import timedelta

import pytest

from relaydesk.cases import actions
from relaydesk.cases.deadlines import deadline_for, next_tickle_after
from tests import factories
from tests.clock.helpers import MONDAY_9, fresh, hours


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    return time_machine


def test_a_case_is_due_twenty_hours_after_opening_by_default(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    assert case.deadline == MONDAY_9 + hours(20)
    assert case.next_tickle_at == MONDAY_9 + hours(4)


def test_the_category_solve_window_sets_the_deadline(cast, monday):
    delivery = factories.make_category("delivery", "Delivery", solve_window_minutes=90)
    case = factories.make_case(category=delivery, acting=cast.fran, details={})
    assert case.deadline == MONDAY_9 + timedelta(minutes=90)


def test_the_realtime_lane_is_due_in_one_hour_whatever_the_window(cast, monday):
    case = factories.make_case(
        category=cast.billing, acting=cast.fran, realtime_triggers=["travel_today"]
    )
    assert case.realtime
    assert case.deadline == MONDAY_9 + hours(1)


def test_reopening_starts_a_new_deadline_from_the_reopening(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.shift(hours(2))
    actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")
    monday.shift(hours(30))
    actions.reopen(case, acting=None, why="Charged again", by_customer=True)
    case = fresh(case)
    assert case.deadline == MONDAY_9 + hours(32) + hours(20)
    assert case.opening == 2
    assert not case.escalated


def test_deadline_helpers_use_minutes_from_the_category(cast):
    cast.billing.solve_window_minutes = 45
    cast.billing.tickle_after_minutes = 10
    assert deadline_for(cast.billing, MONDAY_9, realtime=False) == MONDAY_9 + timedelta(minutes=45)
    assert deadline_for(cast.billing, MONDAY_9, realtime=True) == MONDAY_9 + hours(1)
    assert next_tickle_after(cast.billing, MONDAY_9) == MONDAY_9 + timedelta(minutes=10)
