"""Waiting for the customer (rule 16): the owner's reply asks something and the case waits.

While it waits its deadline and tickles pause; the customer's answer resumes them with the
time that was left; after the company's `waiting_gives_up` the owner is reminded once.
"""

from datetime import timedelta

import pytest
from django.db import connection

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Case, EventKind, Notification
from relaydesk.clock import planner
from relaydesk.clock.sweep import escalation_due
from relaydesk.clock.worker import run_due_work
from relaydesk.timekeeping import now
from tests import factories
from tests.cases.written import nothing_written
from tests.clock.helpers import MONDAY_9, events, fresh, hours, put_on_rota
from tests.plans import as_planned_live

QUESTION = "Which card did you pay with? The last four digits are enough."


@pytest.fixture
def monday(time_machine, cast):
    time_machine.move_to(MONDAY_9, tick=False)
    put_on_rota(cast.ed, MONDAY_9.date(), MONDAY_9.date() + timedelta(days=60))
    return time_machine


@pytest.fixture
def waiting(cast, monday):
    """A billing case (deadline Monday 9:00 + 20 h) that fran, its owner, set waiting at 11:00."""
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(MONDAY_9 + hours(2), tick=False)
    actions.reply(case, acting=cast.fran, body=QUESTION, waiting=True)
    return fresh(case)


def test_the_owners_waiting_reply_pauses_the_deadline_and_records_it(cast, waiting):
    [replied] = events(waiting, EventKind.REPLIED)
    assert replied.data["waiting"] is True
    assert waiting.waiting_since == MONDAY_9 + hours(2)
    assert waiting.waiting_time_left == hours(18)
    assert waiting.next_tickle_at == MONDAY_9 + hours(2) + timedelta(days=7)  # the give-up


def test_nothing_escalates_or_tickles_while_the_case_waits(cast, waiting, monday):
    for hour in (5, 20, 21, 30, 100):  # past every tickle time and the old deadline
        monday.move_to(MONDAY_9 + hours(hour), tick=False)
        run_due_work()

    assert events(waiting, EventKind.ESCALATED) == []
    assert events(waiting, EventKind.TICKLED) == []
    assert fresh(waiting).owner == cast.fran


def test_the_customers_answer_resumes_the_deadline_with_the_time_that_was_left(
    cast, waiting, monday
):
    old_deadline = waiting.deadline
    monday.move_to(MONDAY_9 + hours(50), tick=False)

    actions.customer_wrote(waiting, body="It was the card ending 4421.", via="status_page")

    case = fresh(waiting)
    assert case.deadline == MONDAY_9 + hours(50 + 18)
    assert case.deadline - old_deadline == hours(48)  # exactly the time spent waiting
    assert (case.waiting_since, case.waiting_time_left) == (None, None)
    assert case.next_tickle_at == MONDAY_9 + hours(50)  # the owner is woken now
    [resumed] = events(case, EventKind.RESUMED)
    assert resumed.actor is None
    assert resumed.data["by"] == "customer"
    assert resumed.data["waited_seconds"] == 48 * 3600
    assert resumed.data["time_left_seconds"] == 18 * 3600


def test_after_the_answer_the_deadline_and_tickles_run_again(cast, waiting, monday):
    monday.move_to(MONDAY_9 + hours(50), tick=False)
    actions.customer_wrote(waiting, body="It was the card ending 4421.", via="status_page")
    run_due_work()
    assert [e.data["count"] for e in events(waiting, EventKind.TICKLED)] == [1]

    monday.move_to(MONDAY_9 + hours(68) - timedelta(seconds=1), tick=False)
    run_due_work()
    assert events(waiting, EventKind.ESCALATED) == []

    monday.move_to(MONDAY_9 + hours(68), tick=False)
    run_due_work()
    assert len(events(waiting, EventKind.ESCALATED)) == 1
    assert fresh(waiting).owner == cast.ed


def test_unverified_mail_does_not_end_the_wait(cast, waiting, monday):
    monday.move_to(MONDAY_9 + hours(30), tick=False)

    actions.customer_wrote(waiting, body="Card 0000.", sender="x@example.net", verified=False)

    case = fresh(waiting)
    assert case.waiting_since == MONDAY_9 + hours(2)
    assert case.deadline == waiting.deadline
    assert events(case, EventKind.RESUMED) == []
    run_due_work()
    assert events(case, EventKind.ESCALATED) == []


def test_an_out_of_office_does_not_end_the_wait(cast, waiting, monday):
    monday.move_to(MONDAY_9 + hours(30), tick=False)
    actions.customer_wrote(waiting, body="I am away until Monday.", automatic=True)
    assert fresh(waiting).waiting_since == MONDAY_9 + hours(2)


def test_after_seven_days_without_an_answer_the_owner_is_reminded_once(cast, waiting, monday):
    monday.move_to(MONDAY_9 + hours(2) + timedelta(days=7) - timedelta(seconds=1), tick=False)
    run_due_work()
    assert events(waiting, EventKind.TICKLED) == []

    for days in (7, 8, 14, 30):
        monday.move_to(MONDAY_9 + hours(2) + timedelta(days=days), tick=False)
        run_due_work()

    [reminder] = events(waiting, EventKind.TICKLED)
    assert (reminder.reason, reminder.to_owner) == ("waiting_gave_up", cast.fran)
    assert reminder.data["waited_seconds"] == 7 * 24 * 3600
    assert [n.text for n in Notification.objects.filter(user=cast.fran, event=reminder)] == [
        f"{waiting.ref} has waited 7 days for the customer's answer: decide what to do next"
    ]
    case = fresh(waiting)
    assert case.waiting_since is not None  # still waiting until someone decides
    assert events(case, EventKind.ESCALATED) == []


def test_the_company_sets_how_long_a_case_waits(cast, monday):
    cast.company.waiting_gives_up_minutes = 2 * 24 * 60
    cast.company.save()
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    actions.reply(case, acting=cast.fran, body=QUESTION, waiting=True)

    monday.move_to(MONDAY_9 + timedelta(days=2), tick=False)
    run_due_work()

    [reminder] = events(case, EventKind.TICKLED)
    assert reminder.reason == "waiting_gave_up"


def test_the_owners_note_ends_the_wait_and_restarts_the_clock(cast, waiting, monday):
    monday.move_to(MONDAY_9 + hours(26), tick=False)

    actions.add_note(waiting, acting=cast.fran, body="Called the customer; no answer.")

    case = fresh(waiting)
    assert case.waiting_since is None
    assert case.deadline == MONDAY_9 + hours(26 + 18)
    assert case.next_tickle_at == MONDAY_9 + hours(26 + 4)
    [resumed] = events(case, EventKind.RESUMED)
    assert (resumed.actor, resumed.data["by"]) == (cast.fran, "staff")


def test_someone_elses_note_does_not_end_the_wait(cast, waiting, monday):
    monday.move_to(MONDAY_9 + hours(26), tick=False)
    actions.add_note(waiting, acting=cast.mia, body="Still waiting for the card number.")
    assert fresh(waiting).waiting_since == MONDAY_9 + hours(2)


def test_solving_a_waiting_case_ends_the_wait_and_counts_the_deadline_without_it(
    cast, waiting, monday
):
    monday.move_to(MONDAY_9 + hours(40), tick=False)  # past the old deadline

    actions.solve(waiting, acting=cast.fran, resolution="Refunded.", one_off_reason="Bank error")

    [solved] = events(waiting, EventKind.SOLVED)
    assert solved.data["before_deadline"] is True  # 18 h were left when it began to wait
    assert fresh(waiting).waiting_since is None
    assert [e.kind for e in events(waiting, EventKind.RESUMED)] == [EventKind.RESUMED]


def test_a_reply_without_waiting_ends_the_wait_and_a_new_waiting_reply_starts_another(
    cast, waiting, monday
):
    monday.move_to(MONDAY_9 + hours(3), tick=False)
    actions.reply(waiting, acting=cast.fran, body="One more thing: the date?", waiting=True)
    case = fresh(waiting)
    # the hour of the first wait did not count: 18 h are still left
    assert (case.waiting_since, case.waiting_time_left) == (MONDAY_9 + hours(3), hours(18))

    monday.move_to(MONDAY_9 + hours(4), tick=False)
    actions.reply(case, acting=cast.fran, body="Never mind, found it.")
    case = fresh(case)
    assert case.waiting_since is None
    assert case.deadline == MONDAY_9 + hours(4 + 18)
    assert len(events(case, EventKind.RESUMED)) == 2


def test_only_the_owner_can_mark_a_case_waiting(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.reply(case, acting=cast.sam, body=QUESTION, waiting=True)

    assert str(refused.value) == (
        f"Only the owner can mark {case.ref} waiting for the customer; it is owned by Fran Okafor."
    )


def test_a_solved_case_cannot_wait(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    actions.solve(case, acting=cast.fran, resolution="Refunded.", one_off_reason="Bank error")

    with nothing_written(case), pytest.raises(DomainError, match="only an open case can wait"):
        actions.reply(case, acting=cast.fran, body=QUESTION, waiting=True)


def test_the_escalation_claim_stays_on_its_index_with_waiting_cases(cast, monday):
    for number in range(40):
        case = factories.make_case(category=cast.billing, acting=cast.fran, subject=f"C {number}")
        if number % 2:
            actions.reply(case, acting=cast.fran, body=QUESTION, waiting=True)
    if connection.vendor == "postgresql":
        as_planned_live(Case)
    else:  # fresh planner statistics, as the worker keeps them (relaydesk.clock.planner)
        planner.last_refresh.clear()
        planner.handle_planner_statistics()

    plan = escalation_due(now()).order_by("deadline").values_list("id", flat=True).explain()

    assert "case_escalation_due_idx" in plan


def test_passing_a_waiting_case_ends_the_wait_for_the_next_owner(cast, waiting, monday):
    monday.move_to(MONDAY_9 + hours(10), tick=False)

    actions.pass_case(
        waiting, acting=cast.fran, to_user=cast.sam, reason="needs_expertise", note="Over to you."
    )

    case = fresh(waiting)
    assert (case.owner, case.waiting_since) == (cast.sam, None)
    assert case.deadline == MONDAY_9 + hours(10 + 18)
    assert case.next_tickle_at == MONDAY_9 + hours(10 + 4)
    [resumed] = events(case, EventKind.RESUMED)
    assert resumed.actor == cast.fran
