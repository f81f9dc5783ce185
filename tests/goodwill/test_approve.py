"""approve_goodwill and decline_goodwill: someone whose tier's limit covers the value decides."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import Event, EventKind, Notification
from relaydesk.goodwill.actions import approve_goodwill, decline_goodwill, give_goodwill
from relaydesk.goodwill.models import State
from tests.factories import make_case

TUESDAY_TEN = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def waiting(limits):
    """Fran (frontline, 25) asks for an 80 EUR refund: above her limit, it waits."""
    case = make_case(category=limits.billing, acting=limits.fran)
    return give_goodwill(case, acting=limits.fran, kind="refund", value="80", note="Refund.")


def test_a_tier_whose_limit_covers_the_value_approves_it(limits, waiting):
    with time_machine.travel(TUESDAY_TEN, tick=False):
        gesture = approve_goodwill(waiting, acting=limits.eve)  # expert: up to 100

    assert (gesture.state, gesture.decided_by, gesture.decided_at) == (
        State.GIVEN,
        limits.eve,
        TUESDAY_TEN,
    )
    event = Event.objects.filter(kind=EventKind.GOODWILL).order_by("id").last()
    assert (event.actor, event.data["step"], event.data["gesture_id"]) == (
        limits.eve,
        "approved",
        gesture.pk,
    )
    told = Notification.objects.get(event=event)
    assert (told.user, told.text) == (
        limits.fran,
        f"Eve Expert approved your goodwill on {gesture.case.ref}",
    )


def test_a_tier_whose_limit_is_too_low_is_refused(limits, waiting):
    with pytest.raises(
        DomainError, match=r"Sam Special at Specialist may approve goodwill up to 50\.00 EUR"
    ):
        approve_goodwill(waiting, acting=limits.sam)

    waiting.refresh_from_db()
    assert waiting.state == State.PENDING


def test_the_giver_cannot_decide_on_their_own_gesture(limits):
    case = make_case(category=limits.billing, acting=limits.sam)
    gesture = give_goodwill(case, acting=limits.sam, kind="gift", value="30", note="Same tier.")
    # 30 is within sam's own limit (50): it stood at once; a pending one of his own is refused
    assert gesture.state == State.GIVEN
    case = make_case(category=limits.billing, acting=limits.sam)
    gesture = give_goodwill(case, acting=limits.sam, kind="gift", value="60", note="Above.")

    with pytest.raises(DomainError, match="Someone else decides"):
        approve_goodwill(gesture, acting=limits.sam)


def test_declined_with_a_reason_the_giver_reads(limits, waiting):
    gesture = decline_goodwill(waiting, acting=limits.mia, why="The delay repay already covers it.")

    assert (gesture.state, gesture.decided_by, gesture.why_declined) == (
        State.DECLINED,
        limits.mia,
        "The delay repay already covers it.",
    )
    event = Event.objects.filter(kind=EventKind.GOODWILL).order_by("id").last()
    assert (event.data["step"], event.body) == ("declined", "The delay repay already covers it.")
    told = Notification.objects.get(event=event)
    assert told.user == limits.fran
    assert "The delay repay already covers it." in told.text


def test_a_decline_needs_a_reason(limits, waiting):
    with pytest.raises(Incomplete) as refused:
        decline_goodwill(waiting, acting=limits.mia, why=" ")
    assert "why" in refused.value.fields


def test_a_decided_gesture_cannot_be_decided_again(limits, waiting):
    approve_goodwill(waiting, acting=limits.mia)

    with pytest.raises(DomainError, match="already given"):
        decline_goodwill(waiting, acting=limits.ed, why="No.")


def test_an_executive_approves_any_value(limits):
    case = make_case(category=limits.billing, acting=limits.fran)
    gesture = give_goodwill(case, acting=limits.fran, kind="upgrade", value="900", note="First.")

    assert approve_goodwill(gesture, acting=limits.ed).value == Decimal("900.00")
