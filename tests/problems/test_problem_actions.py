"""Problem actions: open, set the fix owner, mark fixed, reopen, link cases; each with its
ProblemEvent, each refusing what its rule forbids."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import EventKind, Notification, Spell, Status
from relaydesk.insights.kinds import ACTS
from relaydesk.problems import actions as problems
from relaydesk.problems.actions import NotAllowed
from relaydesk.problems.models import Problem, ProblemEvent, ProblemEventError, ProblemStatus
from tests.cases.written import deactivated
from tests.factories import make_case
from tests.problems.helpers import make_problem, solved_with

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def kinds(problem: Problem) -> list[str]:
    return list(problem.events.order_by("at", "id").values_list("kind", flat=True))


def test_any_staff_member_opens_a_problem_and_its_history_starts(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        problem = problems.open_problem(acting=cast.fran, title="  Printer jams ", description="")

    assert (problem.title, problem.status, problem.owner, problem.created_by) == (
        "Printer jams",
        ProblemStatus.OPEN,
        None,
        cast.fran,
    )
    opened = problem.events.get()
    assert (opened.kind, opened.at, opened.actor) == ("opened", MONDAY_NINE, cast.fran)


def test_a_problem_needs_a_title_and_active_staff(cast):
    with pytest.raises(Incomplete, match="Write the problem's title"):
        problems.open_problem(acting=cast.fran, title="   ")
    with pytest.raises(NotAllowed, match="not active staff"):
        problems.open_problem(acting=deactivated(cast.fran), title="Printer jams")
    assert not Problem.objects.exists()


def test_a_lead_sets_the_fix_owner_and_the_problem_is_being_fixed(cast):
    problem = make_problem(cast.fran)
    with time_machine.travel(MONDAY_NINE, tick=False):
        problem = problems.set_problem_owner(problem, acting=cast.mia, owner=cast.eve)

    problem.refresh_from_db()
    assert (problem.owner, problem.status) == (cast.eve, ProblemStatus.BEING_FIXED)
    event = problem.events.get(kind="owner_set")
    assert (event.actor, event.owner, event.at) == (cast.mia, cast.eve, MONDAY_NINE)
    told = Notification.objects.get(user=cast.eve)
    assert told.text == "You own the permanent fix of “Ticket machine double-charges”."
    assert told.case is None


def test_without_a_fix_owner_the_problem_is_open_again(cast):
    problem = make_problem(cast.fran)
    problems.set_problem_owner(problem, acting=cast.mia, owner=cast.eve)
    problems.set_problem_owner(problem, acting=cast.eve, owner=None)  # the fix owner may

    problem.refresh_from_db()
    assert (problem.owner, problem.status) == (None, ProblemStatus.OPEN)
    assert kinds(problem) == ["opened", "owner_set", "owner_set"]


def test_staff_who_are_neither_lead_nor_fix_owner_cannot_steer_a_problem(cast):
    problem = make_problem(cast.fran)
    with pytest.raises(NotAllowed, match="Only leads, executives, admins and the fix owner"):
        problems.set_problem_owner(problem, acting=cast.fran, owner=cast.fran)
    with pytest.raises(NotAllowed):
        problems.mark_fixed(problem, acting=cast.sam, note="Replaced the card reader.")
    problem.refresh_from_db()
    assert (problem.owner, problem.status) == (None, ProblemStatus.OPEN)
    assert kinds(problem) == ["opened"]


def test_an_executive_may_steer_and_the_owner_must_be_active_staff(cast):
    problem = make_problem(cast.fran)
    with pytest.raises(Incomplete, match="not active staff"):
        problems.set_problem_owner(problem, acting=cast.ed, owner=deactivated(cast.sam))
    problems.set_problem_owner(problem, acting=cast.ed, owner=cast.sam)
    with pytest.raises(DomainError, match="already owns the fix"):
        problems.set_problem_owner(problem, acting=cast.ed, owner=cast.sam)


def test_the_fix_owner_marks_it_fixed_with_a_note(cast):
    problem = make_problem(cast.fran)
    problems.set_problem_owner(problem, acting=cast.mia, owner=cast.sam)
    with time_machine.travel(MONDAY_NINE, tick=False):
        problems.mark_fixed(problem, acting=cast.sam, note=" Replaced the card reader. ")

    problem.refresh_from_db()
    assert (problem.status, problem.fixed_at, problem.fixed_note) == (
        ProblemStatus.FIXED,
        MONDAY_NINE,
        "Replaced the card reader.",
    )
    fixed = problem.events.get(kind="fixed")
    assert (fixed.actor, fixed.body) == (cast.sam, "Replaced the card reader.")


def test_marking_fixed_needs_a_note_and_is_refused_twice(cast):
    problem = make_problem(cast.fran)
    with pytest.raises(Incomplete, match="Write what the fix was"):
        problems.mark_fixed(problem, acting=cast.mia, note=" ")
    problems.mark_fixed(problem, acting=cast.mia, note="Replaced the card reader.")
    with pytest.raises(DomainError, match="already marked fixed"):
        problems.mark_fixed(problem, acting=cast.mia, note="Again.")
    assert kinds(problem) == ["opened", "fixed"]


def test_reopening_a_fixed_problem_puts_it_back_to_work(cast):
    problem = make_problem(cast.fran)
    with pytest.raises(DomainError, match="not marked fixed"):
        problems.reopen_problem(problem, acting=cast.mia, why="It broke again.")
    problems.set_problem_owner(problem, acting=cast.mia, owner=cast.sam)
    problems.mark_fixed(problem, acting=cast.sam, note="Replaced the card reader.")
    problems.reopen_problem(problem, acting=cast.mia, why="The new reader fails too.")

    problem.refresh_from_db()
    assert (problem.status, problem.fixed_at, problem.fixed_note) == (
        ProblemStatus.BEING_FIXED,
        None,
        "",
    )
    reopened = problem.events.get(kind="reopened")
    assert (reopened.actor, reopened.body) == (cast.mia, "The new reader fails too.")


def test_a_reopened_problem_without_a_fix_owner_is_open(cast):
    problem = make_problem(cast.fran)
    problems.mark_fixed(problem, acting=cast.mia, note="Replaced the card reader.")
    problems.reopen_problem(problem, acting=cast.mia, why="It broke again.")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_problem_events_are_append_only(cast):
    problem = make_problem(cast.fran)
    event = problem.events.get()
    with pytest.raises(ProblemEventError):
        event.save()
    with pytest.raises(ProblemEventError):
        event.delete()
    with pytest.raises(ProblemEventError):
        ProblemEvent.objects.filter(pk=event.pk).update(body="changed")
    with pytest.raises(ProblemEventError):
        ProblemEvent.objects.filter(pk=event.pk).delete()


def test_solving_with_a_new_problem_opens_it_and_links_the_case(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    case = actions.solve(case, acting=cast.fran, resolution="Refunded.", new_problem_title="Jams")

    problem = case.problem
    assert problem is not None
    assert kinds(problem) == ["opened", "case_linked"]
    linked = problem.events.get(kind="case_linked")
    assert (linked.case_id, linked.actor, linked.at) == (case.pk, cast.fran, case.solved_at)


def test_solving_with_an_existing_problem_links_the_case(cast):
    problem = make_problem(cast.mia)
    case = solved_with(problem, category=cast.billing, owner=cast.fran)
    assert problem.events.get(kind="case_linked").case_id == case.pk


def test_the_owner_links_an_open_case_as_an_act_and_the_solve_links_it_once(cast):
    problem = make_problem(cast.mia)
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=cast.billing, acting=cast.fran)
    linked_at = MONDAY_NINE + timedelta(hours=1)
    with time_machine.travel(linked_at, tick=False):
        case = actions.link_case_to_problem(case, problem, acting=cast.fran)

    case.refresh_from_db()
    assert (case.problem, case.status, case.owner_active_at) == (problem, Status.OPEN, linked_at)
    event = case.events.get(kind=EventKind.PROBLEM_LINKED)
    assert (event.actor, event.body, event.data) == (
        cast.fran,
        problem.title,
        {"problem_id": problem.pk, "was_problem_id": None, "was_one_off_reason": ""},
    )
    actions.solve(case, acting=cast.fran, resolution="Refunded.", problem=problem)
    assert problem.events.filter(kind="case_linked", case=case).count() == 1


def test_a_pass_after_the_owner_linked_a_problem_is_not_bare(cast):
    problem = make_problem(cast.mia)
    case = make_case(category=cast.billing, acting=cast.fran)
    actions.link_case_to_problem(case, problem, acting=cast.fran)
    actions.pass_case(
        case, acting=cast.fran, reason="needs_expertise", note="Over to you", to_user=cast.sam
    )
    spell = Spell.objects.get(case=case, holder=cast.fran)
    assert (spell.end_how, spell.acts) == ("passed_up", 1)
    assert EventKind.PROBLEM_LINKED in ACTS  # the trail's list of acts, too


def test_someone_else_linking_an_open_case_leaves_the_owners_idle_clock(cast):
    problem = make_problem(cast.mia)
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=cast.billing, acting=cast.fran)
    with time_machine.travel(MONDAY_NINE + timedelta(hours=2), tick=False):
        actions.link_case_to_problem(case, problem, acting=cast.sam)
    case.refresh_from_db()
    assert (case.problem, case.owner_active_at) == (problem, MONDAY_NINE)
    assert case.last_activity_at == MONDAY_NINE + timedelta(hours=2)


def test_linking_a_solved_one_off_replaces_its_second_fix(cast):
    problem = make_problem(cast.mia)
    case = make_case(category=cast.billing, acting=cast.fran)
    actions.solve(case, acting=cast.fran, resolution="Refunded.", one_off_reason="A slip.")
    actions.link_case_to_problem(case, problem, acting=cast.sam)

    case.refresh_from_db()
    assert (case.status, case.problem, case.one_off_reason) == (Status.SOLVED, problem, "")
    event = case.events.get(kind=EventKind.PROBLEM_LINKED)
    assert event.data["was_one_off_reason"] == "A slip."


def test_relinking_moves_the_case_and_the_same_link_twice_is_refused(cast):
    first, second = make_problem(cast.mia, "Jams"), make_problem(cast.mia, "Double charges")
    case = solved_with(first, category=cast.billing, owner=cast.fran)
    actions.link_case_to_problem(case, second, acting=cast.fran)
    with pytest.raises(DomainError, match="already linked"):
        actions.link_case_to_problem(case, second, acting=cast.fran)
    case.refresh_from_db()
    assert case.problem == second
    assert case.events.get(kind=EventKind.PROBLEM_LINKED).data["was_problem_id"] == first.pk


def test_a_closed_case_cannot_be_linked(cast):
    problem = make_problem(cast.mia)
    case = make_case(category=cast.billing, acting=cast.fran)
    actions.solve(case, acting=cast.fran, resolution="Refunded.", one_off_reason="A slip.")
    actions.close(case, acting=None)
    with pytest.raises(DomainError, match="only an open or solved case"):
        actions.link_case_to_problem(case, problem, acting=cast.fran)
    assert not problem.events.filter(kind="case_linked").exists()
