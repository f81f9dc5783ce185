"""Rule 16 on the pages: the owner's reply box can wait for the customer's answer; the case
page, My cases, the queue and the customer's status page say it waits and since when."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from relaydesk.cases import actions
from relaydesk.cases.models import Case, EventKind
from tests import factories
from tests.portal.test_status_page import opened
from tests.web.conftest import HTMX

# Monday 23 Nov 2026, 11:00 in Amsterdam (the company's time zone).
ELEVEN = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
QUESTION = "Which card did you pay with?"


@pytest.fixture
def at_eleven(time_machine):
    time_machine.move_to(ELEVEN, tick=False)
    return time_machine


def _case(cast) -> Case:
    return factories.make_case(category=cast.billing, acting=cast.fran)


def _waiting(cast) -> Case:
    case = _case(cast)
    actions.reply(case, acting=cast.fran, body=QUESTION, waiting=True)
    return case


def test_the_owner_sees_the_wait_checkbox_and_others_do_not(signed_in, cast):
    case = _case(cast)

    owners = signed_in(cast.fran).get(f"/cases/{case.ref}/").text
    others = signed_in(cast.sam).get(f"/cases/{case.ref}/").text

    assert 'data-testid="reply-waiting"' in owners
    assert "Wait for the customer&#x27;s answer" in owners
    assert 'data-testid="reply-waiting"' not in others


def test_a_reply_with_the_box_ticked_makes_the_case_wait(signed_in, cast, at_eleven):
    case = _case(cast)

    response = signed_in(cast.fran).post(
        f"/cases/{case.ref}/reply/",
        {"reply-body": QUESTION, "reply-waiting": "on"},
        headers=HTMX,
    )

    assert response.status_code == 200
    html = response.text
    assert "the case waits for the answer" in html
    assert "Waiting for the customer since" in html
    assert "23/11/2026 11:00" in html  # the company's locale, en-GB
    assert "Fran Okafor replied to the customer and waits for the answer" in html
    [replied] = case.events.filter(kind=EventKind.REPLIED)
    assert replied.data["waiting"] is True


def test_a_reply_without_the_box_does_not_wait(signed_in, cast):
    case = _case(cast)
    signed_in(cast.fran).post(f"/cases/{case.ref}/reply/", {"reply-body": "Refunded."})
    assert Case.objects.get(pk=case.pk).waiting_since is None


def test_a_non_owner_posting_the_box_gets_the_sentence_and_nothing_is_sent(signed_in, cast):
    case = _case(cast)

    response = signed_in(cast.sam).post(
        f"/cases/{case.ref}/reply/", {"reply-body": QUESTION, "reply-waiting": "on"}, headers=HTMX
    )

    assert response.status_code == 409
    assert "Only the owner can mark" in response.text
    assert not case.events.filter(kind=EventKind.REPLIED).exists()


def test_the_customers_answer_shows_on_the_case_page_as_the_end_of_the_wait(
    signed_in, cast, at_eleven
):
    case = _waiting(cast)
    at_eleven.shift(timedelta(hours=30))
    actions.customer_wrote(case, body="The card ending 4421.", via="email")

    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").text

    assert "Waiting ended (the customer answered) after 30 h" in html
    assert 'data-testid="case-waiting"' not in html


def test_my_cases_the_queue_and_the_person_page_say_waiting_since_instead_of_the_countdown(
    signed_in, cast, at_eleven
):
    waiting = _waiting(cast)
    _case(cast)

    mine = signed_in(cast.fran).get("/").text
    queue = signed_in(cast.eve).get("/queue/").text
    person = signed_in(cast.eve).get(f"/people/{cast.fran.username}/").text

    for html in (mine, queue, person):
        assert html.count('data-testid="waiting-tag"') == 1
        assert "waiting since <time" in html
        assert "23/11/2026 11:00" in html  # the company's locale, en-GB
        assert waiting.ref in html


def test_my_cases_with_waiting_cases_keeps_its_query_count(
    signed_in, cast, django_assert_max_num_queries
):
    for number in range(20):
        case = factories.make_case(category=cast.billing, acting=cast.fran, subject=f"C{number}")
        if number % 2:
            actions.reply(case, acting=cast.fran, body=QUESTION, waiting=True)
    client = signed_in(cast.fran)
    with django_assert_max_num_queries(8):  # the filter's categories too
        html = client.get("/").text
    assert html.count('data-testid="waiting-tag"') == 10


def test_the_status_page_says_waiting_for_you_since(cast, at_eleven):
    case = _waiting(cast)

    page = opened(Client(), case).text

    assert "Waiting for you since 23/11/2026 11:00" in page  # the company's locale, en-GB
    assert "our clock waits while we wait for you" in page
    assert QUESTION in page


def test_a_waiting_case_is_neither_overdue_nor_due_soon(signed_in, cast, at_eleven):
    """Its deadline is paused: the header counts and the leads' due-soon page leave it out."""
    waiting = _waiting(cast)  # its old deadline: Tuesday 7:00
    at_eleven.shift(timedelta(hours=19))  # one hour before it
    due = _case(cast)  # due in 20 h: not soon either
    at_eleven.shift(timedelta(hours=2))  # the waiting case's old deadline has passed

    mine = signed_in(cast.fran).get("/").text
    due_soon = signed_in(cast.mia).get("/due-soon/").text

    assert 'data-testid="count-open">2<' in mine
    assert 'data-testid="count-overdue">0<' in mine
    assert 'data-testid="count-soon">0<' in mine
    assert waiting.ref not in due_soon
    assert due.ref not in due_soon
