"""dismiss: a case that is no customer problem ends without a solve; staff reopen it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from relaydesk.cases import actions, status_links
from relaydesk.cases.dismissal import NotAllowed
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import Case, EventKind, Status
from relaydesk.outbox.models import OutgoingMail
from tests.cases.written import nothing_written
from tests.factories import make_case

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def case(cast) -> Case:
    with time_machine.travel(MONDAY_NINE, tick=False):
        return make_case(category=cast.billing, acting=cast.fran, subject="WIN A FREE CRUISE")


def test_the_owner_dismisses_spam_and_it_leaves_the_open_cases(cast, case):
    mails = OutgoingMail.objects.count()

    with time_machine.travel(MONDAY_NINE + timedelta(hours=1), tick=False):
        case = actions.dismiss(case, acting=cast.fran, reason="spam")

    case.refresh_from_db()
    assert case.status == Status.DISMISSED
    assert case.owner == cast.fran  # the last holder stays on it
    assert case.next_tickle_at is None
    assert not Case.objects.filter(owner=cast.fran, status=Status.OPEN).exists()
    event = case.events.get(kind=EventKind.DISMISSED)
    assert (event.actor, event.from_owner, event.reason) == (cast.fran, cast.fran, "spam")
    assert event.data == {"reason": "spam", "opening": 1}
    assert OutgoingMail.objects.count() == mails  # the customer is not mailed
    assert case.solved_at is None and case.solved_by is None  # no solve, no second fix


def test_a_lead_dismisses_someone_elses_case_and_the_owner_is_told(cast, case):
    actions.dismiss(case, acting=cast.mia, reason="misdirected", note="Meant for the bank.")

    event = case.events.get(kind=EventKind.DISMISSED)
    assert (event.actor, event.body) == (cast.mia, "Meant for the bank.")
    assert cast.fran.notifications.get(event=event).text == (
        f"Mia Manager dismissed {case.ref} (meant for someone else)"
    )


def test_an_executive_may_dismiss_any_case(cast, case):
    actions.dismiss(case, acting=cast.ed, reason="test")

    assert Case.objects.get(pk=case.pk).status == Status.DISMISSED


def test_a_colleague_who_is_not_a_lead_may_not_dismiss(cast, case):
    with nothing_written(case), pytest.raises(NotAllowed) as refused:
        actions.dismiss(case, acting=cast.sam, reason="spam")

    assert refused.value.http_status == 403
    assert (
        refused.value.message == f"Only the owner (Fran Okafor) or a lead can dismiss {case.ref}."
    )


def test_a_reason_from_the_list_is_needed(cast, case):
    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.dismiss(case, acting=cast.fran, reason="boring")

    assert refused.value.fields == {"reason": "Choose a reason."}


def test_misdirected_and_no_problem_need_a_note_saying_why(cast, case):
    for reason in ("misdirected", "no_problem"):
        with nothing_written(case), pytest.raises(Incomplete) as refused:
            actions.dismiss(case, acting=cast.fran, reason=reason, note="  ")
        assert refused.value.fields == {"note": "Required."}


def test_only_an_open_case_can_be_dismissed(cast, case):
    actions.solve(case, acting=cast.fran, resolution="Answered", one_off_reason="Once")

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.dismiss(case, acting=cast.fran, reason="spam")

    assert refused.value.message == f"{case.ref} is solved; only an open case can be dismissed."


def test_a_dismissed_case_cannot_be_solved_passed_or_taken(cast, case):
    actions.dismiss(case, acting=cast.fran, reason="spam")

    with pytest.raises(DomainError):
        actions.solve(case, acting=cast.fran, resolution="x", one_off_reason="y")
    with pytest.raises(DomainError):
        actions.take(case, acting=cast.sam)
    with pytest.raises(DomainError):
        actions.pass_case(
            case, acting=cast.fran, to_user=cast.sam, reason="needs_expertise", note="n"
        )


def test_staff_reopen_a_dismissed_case_back_to_its_last_holder(cast, case):
    actions.take(case, acting=cast.sam)
    actions.dismiss(case, acting=cast.sam, reason="spam")

    with time_machine.travel(MONDAY_NINE + timedelta(days=1), tick=False):
        case = actions.reopen(case, acting=cast.mia, why="Not spam: a real refund request.")

    assert (case.status, case.owner, case.opening) == (Status.OPEN, cast.sam, 2)
    assert case.deadline == MONDAY_NINE + timedelta(days=1, hours=20)
    event = case.events.get(kind=EventKind.REOPENED)
    assert (event.to_owner, event.data["by"]) == (cast.sam, "staff")


def test_dismissing_a_case_that_waits_for_the_customer_ends_the_wait(cast, case):
    with time_machine.travel(MONDAY_NINE + timedelta(hours=1), tick=False):
        actions.reply(case, acting=cast.fran, body="Which invoice is it?", waiting=True)
    with time_machine.travel(MONDAY_NINE + timedelta(hours=3), tick=False):
        actions.dismiss(case, acting=cast.fran, reason="test")

    case.refresh_from_db()
    assert case.waiting_since is None
    resumed = case.events.get(kind=EventKind.RESUMED)
    assert resumed.data["waited_seconds"] == 2 * 3600


def test_the_customers_status_page_says_closed_and_not_why(cast, case, client):
    token = status_links.issue(case, MONDAY_NINE)
    actions.dismiss(case, acting=cast.fran, reason="misdirected", note="Meant for the bank.")

    page = client.get(client.get(f"/status/{token}")["Location"])

    html = page.content.decode()
    assert page.status_code == 200
    assert "Closed" in html
    assert "Meant for the bank." not in html
