"""Recurrence: a case linked to a problem marked fixed is a regression. The problem records
it (`came_back`), its fix owner is told (bell line and digest mail), and the flag stays until
the problem is handled: reopened or marked fixed again."""

from datetime import UTC, datetime, timedelta

import time_machine

from relaydesk.cases import actions
from relaydesk.cases.models import Notification
from relaydesk.cases.notify import handle_one_digest
from relaydesk.outbox.models import OutgoingMail
from relaydesk.problems import actions as problems
from relaydesk.problems.models import ProblemStatus
from tests.factories import make_case
from tests.problems.helpers import make_problem, solved_with

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def fixed_problem(cast, *, owner=None):
    problem = make_problem(cast.mia)
    if owner is not None:
        problems.set_problem_owner(problem, acting=cast.mia, owner=owner)
    with time_machine.travel(MONDAY_NINE, tick=False):
        problems.mark_fixed(problem, acting=cast.mia, note="Replaced the card reader.")
    Notification.objects.all().delete()
    return problem


def test_a_case_solved_with_a_fixed_problem_is_a_regression(cast):
    problem = fixed_problem(cast, owner=cast.eve)
    came = MONDAY_NINE + timedelta(days=3)
    with time_machine.travel(came, tick=False):
        case = solved_with(problem, category=cast.billing, owner=cast.fran)

    problem.refresh_from_db()
    assert (problem.status, problem.came_back_at, problem.came_back) == (
        ProblemStatus.FIXED,
        came,
        True,
    )
    back = problem.events.get(kind="came_back")
    assert (back.case_id, back.actor, back.at) == (case.pk, cast.fran, came)
    told = Notification.objects.get(user=cast.eve)
    assert told.case_id == case.pk
    assert told.event.kind == "solved"
    assert told.text == (f"“{problem.title}” came back: {case.ref} was linked to it after the fix.")


def test_the_fix_owner_gets_the_regression_by_mail_in_the_digest(cast, settings):
    settings.DIGEST_MINUTES = 0
    problem = fixed_problem(cast, owner=cast.eve)
    case = solved_with(problem, category=cast.billing, owner=cast.fran)
    while handle_one_digest():
        pass
    digest = OutgoingMail.objects.get(to=cast.eve.email)
    assert (
        digest.subject == f"[{case.ref}] “{problem.title}” came back: {case.ref} was linked "
        "to it after the fix."
    )


def test_without_a_fix_owner_whoever_marked_it_fixed_is_told(cast):
    problem = fixed_problem(cast)
    case = make_case(category=cast.billing, acting=cast.fran)
    actions.link_case_to_problem(case, problem, acting=cast.fran)
    told = Notification.objects.get()
    assert (told.user, told.case_id, told.event.kind) == (cast.mia, case.pk, "problem_linked")


def test_the_fix_owner_linking_a_case_themselves_is_not_told(cast):
    problem = fixed_problem(cast, owner=cast.fran)
    solved_with(problem, category=cast.billing, owner=cast.fran)
    assert problem.events.filter(kind="came_back").count() == 1
    assert not Notification.objects.filter(user=cast.fran).exists()


def test_each_case_that_comes_back_is_recorded_and_the_first_time_is_kept(cast):
    problem = fixed_problem(cast, owner=cast.eve)
    first = MONDAY_NINE + timedelta(days=1)
    with time_machine.travel(first, tick=False):
        solved_with(problem, category=cast.billing, owner=cast.fran, n=1)
    with time_machine.travel(first + timedelta(days=1), tick=False):
        solved_with(problem, category=cast.billing, owner=cast.fran, n=2)
    problem.refresh_from_db()
    assert problem.came_back_at == first
    assert problem.events.filter(kind="came_back").count() == 2
    assert Notification.objects.filter(user=cast.eve).count() == 2


def test_marking_fixed_again_handles_the_regression(cast):
    problem = fixed_problem(cast, owner=cast.eve)
    solved_with(problem, category=cast.billing, owner=cast.fran)
    problems.mark_fixed(problem, acting=cast.eve, note="Replaced the whole machine.")
    problem.refresh_from_db()
    assert (problem.status, problem.came_back_at, problem.fixed_note) == (
        ProblemStatus.FIXED,
        None,
        "Replaced the whole machine.",
    )


def test_reopening_handles_the_regression(cast):
    problem = fixed_problem(cast, owner=cast.eve)
    solved_with(problem, category=cast.billing, owner=cast.fran)
    problems.reopen_problem(problem, acting=cast.eve, why="The reader was not the cause.")
    problem.refresh_from_db()
    assert (problem.status, problem.came_back_at) == (ProblemStatus.BEING_FIXED, None)


def test_cases_linked_before_the_fix_are_no_regression(cast):
    problem = make_problem(cast.mia)
    problems.set_problem_owner(problem, acting=cast.mia, owner=cast.eve)
    solved_with(problem, category=cast.billing, owner=cast.fran)
    problem.refresh_from_db()
    assert (problem.status, problem.came_back_at) == (ProblemStatus.BEING_FIXED, None)
    assert not problem.events.filter(kind="came_back").exists()
    assert not Notification.objects.filter(user=cast.eve).exclude(case=None).exists()
