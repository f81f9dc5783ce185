"""The status page and its survey speak in the company's words (issue 13, part 8); what the
customer wrote goes in as text, escaped like everything else on the page."""

from datetime import UTC, datetime

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.org.models import CustomerWords
from tests import factories
from tests.portal.test_status_page import opened

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam


def words(**texts: str) -> None:
    for name, text in texts.items():
        CustomerWords.objects.create(name=name, text=text)


@pytest.fixture
def crafty(cast):
    """A customer whose name and subject look like placeholders and HTML."""
    customer = factories.make_customer(name="<b>Ann</b> {ref}")
    return factories.make_case(
        category=cast.billing,
        acting=cast.fran,
        customer=customer,
        subject="Refund {status_link} <script>alert(1)</script>",
    )


def test_an_open_case_speaks_in_the_companys_words(client, cast):
    words(
        status_open="On it for you, {first_name} ({ref} at {company})",
        promise_open="Our answer comes {promise}, promised.",
        message_received="Got it, {first_name}: thank you!",
    )
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = factories.make_case(category=cast.billing, acting=cast.fran)
        page = opened(client, case).content.decode()
        client.post(f"/status/case/{case.ref}/reply/", {"body": "One more thing"})
        after = client.get(f"/status/case/{case.ref}/?sent=1").content.decode()

    assert f"<strong>On it for you, Carla ({case.ref} at Acme Rail)</strong>" in page
    assert "Our answer comes by tomorrow 06:00, promised." in page
    assert "We are working on it" not in page
    assert "You will have our answer" not in page
    assert "Got it, Carla: thank you!" in after


def test_a_solved_cases_survey_speaks_in_the_companys_words(client, cast):
    words(
        status_solved="All done, {first_name}",
        promise_solved="We said {promise}.",
        survey_heading="A quick word, {first_name}?",
        survey_delighted="What made your day?",
        survey_fix="What went wrong?",
        survey_thanks="Thank you, {first_name}!",
    )
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    case = actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Once")

    page = opened(client, case).content.decode()
    answered = client.post(
        f"/status/case/{case.ref}/survey/", {"opening": str(case.opening), "rating": "5"}
    )
    thanked = client.get(answered["Location"]).content.decode()

    assert "<strong>All done, Carla</strong>" in page
    assert "We said by " in page
    assert '<h2 id="survey-h">A quick word, Carla?</h2>' in page
    assert '<label for="id_delighted">What made your day?</label>' in page
    assert '<label for="id_fix">What went wrong?</label>' in page
    assert "How did we do?" not in page
    assert "<p>Thank you, Carla!</p>" in thanked


def test_a_waiting_case_says_since_when_in_the_companys_words(client, cast):
    words(status_waiting="We wait for your answer since {since}, {first_name}")
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = factories.make_case(category=cast.billing, acting=cast.fran)
        actions.reply(case, acting=cast.fran, body="Which card did you use?", waiting=True)
        page = opened(client, case).content.decode()

    assert "We wait for your answer since 02/11/2026 10:00, Carla" in page


def test_the_customers_name_and_subject_go_in_as_escaped_text(client, crafty):
    words(
        status_open="Hello {name}, about {subject}",
        survey_heading="x",  # a page text not shown on an open case changes nothing
    )

    page = opened(client, crafty).content.decode()

    assert (
        "Hello &lt;b&gt;Ann&lt;/b&gt; {ref}, about Refund {status_link} "
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    ) in page
    assert "<b>Ann</b>" not in page and "<script>alert(1)" not in page


def test_without_words_of_its_own_the_page_reads_as_it_always_did(client, cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    page = opened(client, case).content.decode()
    solved = actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Once")
    solved_page = client.get(f"/status/case/{solved.ref}/").content.decode()

    assert "<strong>We are working on it</strong>" in page
    assert "You will have our answer by " in page
    assert "<strong>Solved</strong>" in solved_page
    assert "We promised our answer by " in solved_page
    assert '<h2 id="survey-h">How did we do?</h2>' in solved_page
    assert '<label for="id_delighted">What delighted you? (optional)</label>' in solved_page
    assert '<label for="id_fix">What should we fix? (optional)</label>' in solved_page
