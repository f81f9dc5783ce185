"""give_goodwill: the owner records a gesture; within their tier's limit it stands at once."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import Event, EventKind, Notification
from relaydesk.goodwill.actions import give_goodwill
from relaydesk.goodwill.models import Gesture, State
from tests.cases.written import nothing_written
from tests.factories import make_case

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_a_gesture_within_the_limit_is_given_at_once_with_an_event(limits):
    case = make_case(category=limits.billing, acting=limits.fran)
    with time_machine.travel(MONDAY_NINE, tick=False):
        gesture = give_goodwill(
            case, acting=limits.fran, kind="credit", value="25.00", note="Sorry for the wait."
        )

    assert (gesture.state, gesture.value, gesture.currency) == (State.GIVEN, Decimal(25), "EUR")
    assert (gesture.decided_by, gesture.decided_at) == (limits.fran, MONDAY_NINE)
    event = Event.objects.get(case=case, kind=EventKind.GOODWILL)
    assert (event.actor, event.body, event.at) == (limits.fran, "Sorry for the wait.", MONDAY_NINE)
    assert event.data == {
        "gesture_id": gesture.pk,
        "step": "given",
        "kind": "credit",
        "value": "25.00",
        "currency": "EUR",
        "over_budget": False,
    }
    assert not Notification.objects.filter(event=event).exists()


def test_giving_is_the_owners_act_so_the_idle_clock_restarts(limits):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=limits.billing, acting=limits.fran)
    later = MONDAY_NINE + timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        give_goodwill(case, acting=limits.fran, kind="gift", value=10, note="A voucher.")

    case.refresh_from_db()
    assert (case.owner_active_at, case.next_tickle_at) == (later, later + timedelta(hours=4))


def test_a_gesture_above_the_limit_waits_and_the_lead_is_asked(limits):
    case = make_case(category=limits.billing, acting=limits.fran)

    gesture = give_goodwill(case, acting=limits.fran, kind="refund", value="80", note="Refund.")

    assert (gesture.state, gesture.decided_by, gesture.decided_at) == (State.PENDING, None, None)
    event = Event.objects.get(case=case, kind=EventKind.GOODWILL)
    assert event.data["step"] == "asked"
    told = Notification.objects.get(event=event)
    assert told.user == limits.mia  # fran's lead, a manager: 500 covers 80
    assert "approve goodwill on" in told.text


def test_without_a_lead_who_may_decide_the_lowest_tier_that_may_is_asked(limits):
    case = make_case(category=limits.billing, acting=limits.sam)
    limits.sam.staff.lead = None
    limits.sam.staff.save()

    give_goodwill(case, acting=limits.sam, kind="refund", value="80", note="Refund.")

    told = Notification.objects.filter(case=case, text__contains="approve").get()
    assert told.user == limits.eve  # the expert tier's limit (100) is the lowest covering 80


def test_a_non_owner_cannot_give_goodwill(limits):
    case = make_case(category=limits.billing, acting=limits.fran)

    with nothing_written(case), pytest.raises(DomainError, match="Only the owner"):
        give_goodwill(case, acting=limits.mia, kind="gift", value=5, note="Flowers.")
    assert not Gesture.objects.exists()


@pytest.mark.parametrize("value", ["0", "-5", "12.345", "abc", "", None, "NaN", "Infinity", True])
def test_a_value_that_is_not_a_positive_amount_is_a_field_error(limits, value):
    case = make_case(category=limits.billing, acting=limits.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        give_goodwill(case, acting=limits.fran, kind="gift", value=value, note="A voucher.")
    assert "value" in refused.value.fields


def test_an_unknown_kind_and_an_empty_note_are_field_errors(limits):
    case = make_case(category=limits.billing, acting=limits.fran)

    with pytest.raises(Incomplete) as refused:
        give_goodwill(case, acting=limits.fran, kind="cash", value=5, note="x")
    assert "kind" in refused.value.fields
    with pytest.raises(Incomplete) as refused:
        give_goodwill(case, acting=limits.fran, kind="gift", value=5, note="  ")
    assert "note" in refused.value.fields


def test_the_solver_may_give_goodwill_on_a_solved_case_but_not_on_a_closed_one(limits):
    case = make_case(category=limits.billing, acting=limits.fran)
    case = actions.solve(case, acting=limits.fran, resolution="Refunded", one_off_reason="Typo")

    give_goodwill(case, acting=limits.fran, kind="gift", value=5, note="A voucher.")
    case = actions.close(case, acting=limits.fran)

    with pytest.raises(DomainError, match="closed"):
        give_goodwill(case, acting=limits.fran, kind="gift", value=5, note="Another.")
