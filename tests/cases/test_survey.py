"""answer_survey (rule 12) and customer_reopens (rule 8): the customer's say after a solve."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import EventKind, Status, SurveyAnswer
from tests.cases.written import nothing_written
from tests.factories import make_case

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def solved_by(cast, user):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=cast.billing, acting=user)
        return actions.solve(case, acting=user, resolution="Refunded", one_off_reason="Once")


def test_a_rating_of_5_is_kept_once_for_the_solve_and_credited_to_the_solver(cast):
    case = solved_by(cast, cast.sam)

    with time_machine.travel(MONDAY_NINE + timedelta(hours=2), tick=False):
        answer = actions.answer_survey(case, rating=5, delighted="Sam called me back at once.")

    assert (answer.rating, answer.opening, answer.solved_by) == (5, 1, cast.sam)
    assert answer.is_delighted and answer.delighted == "Sam called me back at once."
    event = case.events.get(kind=EventKind.SURVEY)
    assert (event.actor, event.to_owner) == (None, cast.sam)  # the customer is the actor
    assert event.data == {"answer_id": answer.pk, "opening": 1, "rating": 5, "delighted": True}
    assert event.body == "What delighted them: Sam called me back at once."
    case.refresh_from_db()
    assert case.status == Status.SOLVED


def test_a_rating_of_2_or_less_reopens_the_case_to_the_solver_with_the_customers_words(cast):
    case = solved_by(cast, cast.sam)

    with time_machine.travel(MONDAY_NINE + timedelta(days=1), tick=False):
        actions.answer_survey(case, rating=1, fix="I was charged twice again.")

    case.refresh_from_db()
    assert (case.status, case.owner, case.opening) == (Status.OPEN, cast.sam, 2)
    survey, reopened = case.events.filter(kind__in=[EventKind.SURVEY, EventKind.REOPENED])
    assert (survey.kind, reopened.kind) == (EventKind.SURVEY, EventKind.REOPENED)
    assert reopened.data["by"] == "customer" and reopened.actor is None
    assert reopened.body == "Survey: rated 1 of 5.\nI was charged twice again."
    assert cast.sam.notifications.get().text == f"The customer reopened {case.ref}"


def test_a_rating_of_3_keeps_the_case_solved(cast):
    case = solved_by(cast, cast.sam)

    actions.answer_survey(case, rating=3, fix="Faster, please.")

    case.refresh_from_db()
    assert case.status == Status.SOLVED
    assert not case.events.filter(kind=EventKind.REOPENED).exists()


def test_the_survey_is_answered_once_per_solve(cast):
    case = solved_by(cast, cast.sam)
    actions.answer_survey(case, rating=4, opening=1)

    with nothing_written(case), pytest.raises(DomainError, match="You already answered"):
        actions.answer_survey(case, rating=1, fix="Changed my mind", opening=1)
    assert SurveyAnswer.objects.get().rating == 4


def test_a_reopen_withdraws_the_unanswered_survey_and_the_next_solve_asks_again(cast):
    case = solved_by(cast, cast.sam)
    case = actions.reopen(case, acting=cast.sam, why="The refund bounced.")

    with nothing_written(case), pytest.raises(DomainError, match="survey is closed"):
        actions.answer_survey(case, rating=5, opening=1)
    case = actions.solve(case, acting=cast.sam, resolution="Refunded again", one_off_reason="x")
    with nothing_written(case), pytest.raises(DomainError, match="survey is closed"):
        actions.answer_survey(case, rating=5, opening=1)  # the form of the first solve

    answer = actions.answer_survey(case, rating=5, opening=2)
    assert (answer.opening, answer.solved_by) == (2, cast.sam)


def test_an_open_case_has_no_survey(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(DomainError, match="survey is closed"):
        actions.answer_survey(case, rating=5)


@pytest.mark.parametrize("rating", [0, 6, -1, True])
def test_a_rating_outside_1_to_5_is_refused(cast, rating):
    case = solved_by(cast, cast.sam)

    with nothing_written(case), pytest.raises(Incomplete, match="from 1 to 5"):
        actions.answer_survey(case, rating=rating)


def test_too_many_words_are_refused(cast):
    case = solved_by(cast, cast.sam)

    with nothing_written(case), pytest.raises(Incomplete, match="under 2000 characters"):
        actions.answer_survey(case, rating=5, delighted="x" * 2001)


def test_a_low_rating_after_the_reopen_window_is_kept_but_reopens_nothing(cast):
    case = solved_by(cast, cast.sam)

    with time_machine.travel(MONDAY_NINE + timedelta(days=31), tick=False):
        actions.answer_survey(case, rating=1, fix="Too late to say.")

    case.refresh_from_db()
    assert case.status == Status.SOLVED
    assert SurveyAnswer.objects.get().rating == 1


def test_the_customer_reopens_with_a_reason_to_the_solver(cast):
    case = solved_by(cast, cast.sam)

    with time_machine.travel(MONDAY_NINE + timedelta(days=3), tick=False):
        case = actions.customer_reopens(case, why="The second charge is back.")

    assert (case.status, case.owner, case.opening) == (Status.OPEN, cast.sam, 2)
    event = case.events.get(kind=EventKind.REOPENED)
    assert (event.actor, event.body, event.data["by"]) == (
        None,
        "The second charge is back.",
        "customer",
    )


def test_the_customer_cannot_reopen_without_a_reason_or_after_the_window(cast):
    case = solved_by(cast, cast.sam)

    with nothing_written(case), pytest.raises(Incomplete):
        actions.customer_reopens(case, why="  ")
    with (
        time_machine.travel(MONDAY_NINE + timedelta(days=31), tick=False),
        nothing_written(case),
        pytest.raises(DomainError, match="can no longer be reopened"),
    ):
        actions.customer_reopens(case, why="Still wrong.")


def test_an_open_case_cannot_be_reopened_by_the_customer(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(DomainError):
        actions.customer_reopens(case, why="Hurry up.")
