"""solve: domain rule 5, the owner fixes it twice (this customer, and the root cause)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import EventKind
from relaydesk.outbox.models import OutgoingMail
from relaydesk.problems.models import Problem
from tests.cases.written import deactivated, nothing_written
from tests.factories import make_case

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SECOND_FIX = (
    "Fix it twice: link the root-cause problem, open a new problem, or say why this is "
    "a one-off (exactly one of them)."
)


def test_the_owner_solves_a_case_as_a_one_off(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=cast.billing, acting=cast.fran)
    solved_at = MONDAY_NINE + timedelta(hours=5)
    with time_machine.travel(solved_at, tick=False):
        case = actions.solve(
            case, acting=cast.fran, resolution="Refunded €12.", one_off_reason="Typing slip."
        )

    assert (case.status, case.solved_at, case.solved_by) == ("solved", solved_at, cast.fran)
    assert (case.resolution, case.one_off_reason, case.problem) == (
        "Refunded €12.",
        "Typing slip.",
        None,
    )
    assert case.next_tickle_at is None
    assert case.owner == cast.fran
    solved = case.events.get(kind=EventKind.SOLVED)
    assert (solved.actor, solved.from_owner, solved.from_tier, solved.body) == (
        cast.fran,
        cast.fran,
        cast.tiers["frontline"],
        "Refunded €12.",
    )
    assert solved.data == {
        "problem_id": None,
        "one_off_reason": "Typing slip.",
        "before_deadline": True,
        "mail": {
            "to": "carla@example.com",
            "subject": f"[{case.ref}] Charged twice for my season ticket",
            "message_id": OutgoingMail.objects.get(event=solved).message_id,
        },
    }


def test_solving_after_the_deadline_is_recorded_as_late(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=cast.billing, acting=cast.fran)
    with time_machine.travel(MONDAY_NINE + timedelta(hours=21), tick=False):
        case = actions.solve(case, acting=cast.fran, resolution="Done", one_off_reason="Once")

    assert case.events.get(kind=EventKind.SOLVED).data["before_deadline"] is False


def test_solving_links_an_existing_problem(cast):
    problem = Problem.objects.create(title="Double charge on renewals", created_at=MONDAY_NINE)
    case = make_case(category=cast.billing, acting=cast.fran)

    case = actions.solve(case, acting=cast.fran, resolution="Refunded", problem=problem)

    assert case.problem == problem
    assert case.events.get(kind=EventKind.SOLVED).data["problem_id"] == problem.pk


def test_solving_can_open_a_new_problem(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    case = actions.solve(
        case, acting=cast.fran, resolution="Refunded", new_problem_title="Renewals charge twice"
    )

    problem = Problem.objects.get()
    assert (problem.title, problem.created_by) == ("Renewals charge twice", cast.fran)
    assert case.problem == problem


def test_only_the_owner_can_solve(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.solve(case, acting=cast.sam, resolution="Refunded", one_off_reason="Once")

    assert refused.value.message == (
        f"Only the owner can solve {case.ref}; it is owned by Fran Okafor."
    )


@pytest.mark.parametrize("resolution", ["", "   ", None])
def test_a_case_cannot_be_solved_without_a_resolution(cast, resolution):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.solve(case, acting=cast.fran, resolution=resolution, one_off_reason="Once")

    assert refused.value.message == "Write the resolution."


def test_a_case_cannot_be_solved_without_the_second_fix_decision(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.solve(case, acting=cast.fran, resolution="Refunded")

    assert refused.value.message == SECOND_FIX


def test_a_case_cannot_be_solved_with_two_second_fix_decisions(cast):
    problem = Problem.objects.create(title="Double charge", created_at=MONDAY_NINE)
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.solve(
            case, acting=cast.fran, resolution="Refunded", problem=problem, one_off_reason="Once"
        )

    assert refused.value.message == SECOND_FIX


def test_a_refused_new_problem_is_not_created(cast):
    case = make_case(category=cast.billing, acting=cast.sam)

    with nothing_written(case), pytest.raises(DomainError):
        actions.solve(case, acting=cast.fran, resolution="Done", new_problem_title="New cause")

    assert not Problem.objects.exists()


def test_a_solved_case_cannot_be_solved_again(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    case = actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Once")

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.solve(case, acting=cast.fran, resolution="Again", one_off_reason="Once")

    assert refused.value.message == f"{case.ref} is already solved."


def test_inactive_staff_cannot_solve(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    fran = deactivated(cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.solve(case, acting=fran, resolution="Refunded", one_off_reason="Once")

    assert refused.value.message == "Fran Okafor is not active staff, so cannot act on cases."
