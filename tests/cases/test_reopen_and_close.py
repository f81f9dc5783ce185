"""reopen (domain rule 8) and close: back to the solver when they are active, else routed."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import EventKind
from relaydesk.org.models import Staff
from tests.cases.written import deactivated, nothing_written
from tests.factories import make_case

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def solved_by(cast, user, *, at=MONDAY_NINE):
    with time_machine.travel(at, tick=False):
        case = make_case(category=cast.billing, acting=user)
        return actions.solve(case, acting=user, resolution="Refunded", one_off_reason="Once")


def test_a_customer_reopens_and_the_case_goes_back_to_whoever_solved_it(cast):
    case = solved_by(cast, cast.sam)
    reopened_at = MONDAY_NINE + timedelta(days=2)

    with time_machine.travel(reopened_at, tick=False):
        case = actions.reopen(case, acting=None, by_customer=True, why="Still charged twice.")

    assert (case.status, case.owner, case.tier) == ("open", cast.sam, cast.tiers["specialist"])
    assert case.opening == 2
    assert case.solved_at is None
    assert case.escalated is False
    assert case.deadline == reopened_at + timedelta(hours=20)  # a new deadline starts
    event = case.events.get(kind=EventKind.REOPENED)
    assert (event.actor, event.to_owner, event.body) == (None, cast.sam, "Still charged twice.")
    assert event.data == {"by": "customer", "opening": 2, "deadline": case.deadline.isoformat()}
    assert cast.sam.notifications.get().text == f"The customer reopened {case.ref}"


def test_staff_can_reopen_a_case(cast):
    case = solved_by(cast, cast.sam)

    case = actions.reopen(case, acting=cast.mia, why="The refund bounced.")

    assert case.owner == cast.sam
    event = case.events.get(kind=EventKind.REOPENED)
    assert (event.actor, event.data["by"]) == (cast.mia, "staff")


def test_a_reopened_realtime_case_gets_a_new_one_hour_deadline(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(
            category=cast.billing, acting=cast.fran, realtime_triggers=["travel_today"]
        )
        case = actions.solve(case, acting=cast.fran, resolution="Rebooked", one_off_reason="Once")
    with time_machine.travel(MONDAY_NINE + timedelta(hours=3), tick=False):
        case = actions.reopen(case, acting=cast.fran, why="Train cancelled again.")

    assert case.deadline == MONDAY_NINE + timedelta(hours=4)


def test_when_the_solver_has_left_the_reopened_case_is_routed(cast):
    case = solved_by(cast, cast.sam)
    Staff.objects.filter(user=cast.sam).update(active=False)

    case = actions.reopen(case, acting=None, by_customer=True, why="Still charged.")

    assert case.owner == cast.fran  # least-loaded on-duty frontline (fran and fiona tie; lower id)
    assert case.tier == cast.tiers["frontline"]


def test_when_the_solvers_login_is_disabled_the_reopened_case_is_routed(cast):
    case = solved_by(cast, cast.sam)
    cast.sam.is_active = False
    cast.sam.save()

    case = actions.reopen(case, acting=None, by_customer=True, why="Still charged.")

    assert case.owner in (cast.fran, cast.fiona)


def test_an_open_case_cannot_be_reopened(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.reopen(case, acting=cast.fran, why="Again")

    assert refused.value.message == f"{case.ref} is already open."


def test_reopening_needs_a_reason(cast):
    case = solved_by(cast, cast.sam)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.reopen(case, acting=None, by_customer=True, why=" ")

    assert refused.value.message == "Write why it is reopened."


def test_nobody_but_staff_or_the_customer_reopens(cast):
    case = solved_by(cast, cast.sam)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.reopen(case, acting=None, why="Because")

    assert refused.value.message == "Only staff or the customer can reopen a case."


def test_inactive_staff_cannot_reopen(cast):
    case = solved_by(cast, cast.sam)
    mia = deactivated(cast.mia)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.reopen(case, acting=mia, why="Because")

    assert refused.value.message == "Mia Manager is not active staff, so cannot act on cases."


def test_reopening_with_nobody_on_duty_to_route_to_is_refused(cast):
    case = solved_by(cast, cast.sam)
    Staff.objects.filter(user=cast.sam).update(active=False)
    Staff.objects.update(on_duty=False)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.reopen(case, acting=None, by_customer=True, why="Still charged.")

    assert refused.value.message == "Nobody is on duty to take a Billing case."


def test_a_solved_case_is_closed(cast):
    case = solved_by(cast, cast.sam)

    case = actions.close(case, acting=None, why="Happy survey answer.")

    assert case.status == "closed"
    closed = case.events.get(kind=EventKind.CLOSED)
    assert (closed.actor, closed.body) == (None, "Happy survey answer.")


def test_a_closed_case_can_still_be_reopened_by_the_customer(cast):
    case = actions.close(solved_by(cast, cast.sam), acting=cast.sam)

    case = actions.reopen(case, acting=None, by_customer=True, why="It broke again.")

    assert (case.status, case.owner) == ("open", cast.sam)


@pytest.mark.parametrize("state", ["open", "closed"])
def test_only_a_solved_case_can_be_closed(cast, state):
    case = make_case(category=cast.billing, acting=cast.fran)
    if state == "closed":
        case = actions.solve(case, acting=cast.fran, resolution="Done", one_off_reason="Once")
        case = actions.close(case, acting=cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.close(case, acting=cast.fran)

    assert refused.value.message == f"Only a solved case can be closed; {case.ref} is {state}."
