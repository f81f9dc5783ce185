"""Domain rule 7: an idle owner is reminded every interval; the lead hears from the second time."""

from datetime import timedelta

import pytest

from relaydesk.cases import actions
from relaydesk.cases.models import EventKind, Notification
from relaydesk.clock.sweep import handle_one_tickle_batch
from tests import factories
from tests.clock.helpers import MONDAY_9, events, fresh, hours


@pytest.fixture
def monday(time_machine, cast):
    time_machine.move_to(MONDAY_9, tick=False)
    return time_machine


def tickles(case):
    return events(case, EventKind.TICKLED)


def told(user, case):
    return [n.text for n in Notification.objects.filter(user=user, case=case).order_by("id")]


def test_no_reminder_before_the_tickle_interval_has_passed(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(MONDAY_9 + hours(4) - timedelta(seconds=1), tick=False)
    assert handle_one_tickle_batch() is False
    assert tickles(case) == []


def test_the_first_reminder_goes_to_the_owner_only(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(MONDAY_9 + hours(4), tick=False)
    assert handle_one_tickle_batch() is True
    [event] = tickles(case)
    assert event.actor is None
    assert event.data["count"] == 1
    assert told(cast.fran, case) == [f"Reminder 1: {case.ref} has waited 4 h for you"]
    assert told(cast.mia, case) == []
    [line] = Notification.objects.filter(user=cast.fran, event=event)
    assert line.mail_pending  # mailed in fran's next digest


def test_reminders_repeat_every_interval_and_the_lead_hears_from_the_second(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    for hour in (4, 8, 12):
        monday.move_to(MONDAY_9 + hours(hour), tick=False)
        assert handle_one_tickle_batch() is True
        assert handle_one_tickle_batch() is False  # once per due time
    assert [e.data["count"] for e in tickles(case)] == [1, 2, 3]
    assert len(told(cast.fran, case)) == 3
    assert told(cast.mia, case) == [
        f"{case.ref} has waited 8 h for Fran Okafor (reminder 2)",
        f"{case.ref} has waited 12 h for Fran Okafor (reminder 3)",
    ]
    case = fresh(case)
    assert case.tickle_count == 3
    assert case.next_tickle_at == MONDAY_9 + hours(16)


def test_the_owner_acting_restarts_the_tickle_clock(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(MONDAY_9 + hours(4), tick=False)
    handle_one_tickle_batch()
    monday.move_to(MONDAY_9 + hours(6), tick=False)
    actions.add_note(case, acting=cast.fran, body="Called the bank")
    monday.move_to(MONDAY_9 + hours(8), tick=False)
    assert handle_one_tickle_batch() is False
    monday.move_to(MONDAY_9 + hours(10), tick=False)
    assert handle_one_tickle_batch() is True
    assert [e.data["count"] for e in tickles(case)] == [1, 1]  # counting starts again
    assert told(cast.mia, case) == []


def test_someone_else_acting_does_not_restart_the_owners_clock(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(MONDAY_9 + hours(3), tick=False)
    actions.add_note(case, acting=cast.sam, body="Seen this before")
    monday.move_to(MONDAY_9 + hours(4), tick=False)
    assert handle_one_tickle_batch() is True


def test_a_solved_case_is_not_tickled(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.shift(hours(1))
    actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")
    monday.shift(hours(10))
    assert handle_one_tickle_batch() is False
    assert tickles(case) == []


def test_after_a_long_outage_one_reminder_comes_not_a_burst(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(MONDAY_9 + hours(30), tick=False)
    assert handle_one_tickle_batch() is True
    assert handle_one_tickle_batch() is False
    assert len(tickles(case)) == 1
    assert fresh(case).next_tickle_at == MONDAY_9 + hours(34)


def test_the_category_interval_sets_the_cadence(cast, monday):
    quick = factories.make_category("quick", "Quick", tickle_after_minutes=30)
    case = factories.make_case(category=quick, acting=cast.fran, details={})
    monday.move_to(MONDAY_9 + timedelta(minutes=30), tick=False)
    assert handle_one_tickle_batch() is True
    monday.move_to(MONDAY_9 + timedelta(minutes=59), tick=False)
    assert handle_one_tickle_batch() is False
    monday.move_to(MONDAY_9 + timedelta(minutes=60), tick=False)
    assert handle_one_tickle_batch() is True
    assert len(tickles(case)) == 2


def test_an_owner_without_a_lead_is_reminded_alone(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.ed)  # ed has no lead
    for hour in (4, 8):
        monday.move_to(MONDAY_9 + hours(hour), tick=False)
        handle_one_tickle_batch()
    assert Notification.objects.filter(case=case).exclude(user=cast.ed).count() == 0
    assert len(told(cast.ed, case)) == 2


def test_a_tickle_batch_costs_a_fixed_number_of_queries_per_case(
    cast, monday, django_assert_max_num_queries
):
    for _ in range(10):
        factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(MONDAY_9 + hours(8), tick=False)  # counted as the first tickle
    with django_assert_max_num_queries(10 * 10 + 4):
        assert handle_one_tickle_batch() is True
