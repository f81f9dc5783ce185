"""The status page and its survey speak in the company's words (issue 13, part 8), and so do
the pages asking a customer to write again later (429: the status page's wait, /contact's
limits); what the customer wrote goes in as text, escaped like everything else on the page."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.org.models import CustomerWords
from tests import factories
from tests.intake.test_contact_form import form
from tests.portal.test_status_page import assert_status_headers, opened

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


# ---------------------------------------------------------------- the status page's wait (429)


def held_back(client, case, body: str = "One more thing"):
    """Post on the case's page past its limit (one post an hour): the wait page, at 10:30
    Amsterdam time; the customer can write again at 11:00."""
    with time_machine.travel(MONDAY_NINE, tick=False):
        opened(client, case)
        assert client.post(f"/status/case/{case.ref}/reply/", {"body": "First"}).status_code == 302
    with time_machine.travel(MONDAY_NINE + timedelta(minutes=30), tick=False):
        held = client.post(f"/status/case/{case.ref}/reply/", {"body": body})
    assert held.status_code == 429
    assert held["Retry-After"] == str(30 * 60 + 1)
    assert_status_headers(held)
    return held.content.decode()


@pytest.fixture
def one_post_an_hour(settings):
    settings.STATUS_PAGE_POSTS_PER_HOUR = 1


@pytest.fixture
def case(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        return factories.make_case(category=cast.billing, acting=cast.fran)


@pytest.mark.usefixtures("one_post_an_hour")
def test_the_wait_page_speaks_in_the_companys_words(client, case):
    words(
        wait_heading="Easy there, {first_name}",
        wait_until="{company} reads all you sent on {ref}; write again from {until}.",
        wait_typed_heading="Your words, kept",
        wait_typed_note="Not sent yet: keep a copy.",
        wait_back="To {ref}",
    )

    page = held_back(client, case)

    assert "<title>Easy there, Carla · Acme Rail</title>" in page
    assert "<h1>Easy there, Carla</h1>" in page
    assert (
        f"<p>Acme Rail reads all you sent on <strong>{case.ref}</strong>; write again from "
        '<strong><time datetime="2026-11-02T11:00:00+01:00" data-testid="write-again">'
        "02/11/2026 11:00</time></strong>.</p>"
    ) in page
    assert "<h2>Your words, kept</h2>" in page
    assert "<p>Not sent yet: keep a copy.</p>" in page
    assert f'<a href="/status/case/{case.ref}/">To <strong>{case.ref}</strong></a>' in page
    assert "One more thing</textarea>" in page
    assert "write again a little later" not in page and "several messages" not in page


@pytest.mark.usefixtures("one_post_an_hour")
def test_without_words_of_its_own_the_wait_page_reads_as_it_always_did(client, case):
    page = held_back(client, case)

    assert "<title>Please write again a little later · Acme Rail</title>" in page
    assert "<h1>Please write again a little later</h1>" in page
    assert (
        f"<p>We have had several messages on your case <strong>{case.ref}</strong> in the last "
        "hour, and we read every one. You can write here again from <strong><time "
        'datetime="2026-11-02T11:00:00+01:00" data-testid="write-again">02/11/2026 11:00</time>'
        "</strong>. If it cannot wait, reply to our latest email.</p>"
    ) in page
    assert "<h2>What you wrote, so nothing is lost</h2>" in page
    assert (
        "<p>We have not sent this yet. Copy it, and send it again from your case&#x27;s page "
        "then.</p>"
    ) in page
    assert f'<a href="/status/case/{case.ref}/">Back to your case</a>' in page


@pytest.mark.usefixtures("one_post_an_hour")
def test_on_the_wait_page_names_words_and_what_was_typed_are_escaped_text(client, crafty):
    words(
        wait_heading="Wait <em>a bit</em>, {name}",
        wait_until="About {subject}: from {until}",
    )

    page = held_back(client, crafty, body="My <script>alert(2)</script> {until}")

    assert "<title>Wait &lt;em&gt;a bit&lt;/em&gt;, &lt;b&gt;Ann&lt;/b&gt; {ref} · " in page
    assert "<h1>Wait &lt;em&gt;a bit&lt;/em&gt;, &lt;b&gt;Ann&lt;/b&gt; {ref}</h1>" in page
    assert (
        "<p>About Refund {status_link} &lt;script&gt;alert(1)&lt;/script&gt;: from <strong><time "
    ) in page
    assert "My &lt;script&gt;alert(2)&lt;/script&gt; {until}</textarea>" in page
    assert "<b>Ann</b>" not in page and "<script>alert" not in page and "<em>" not in page


# ---------------------------------------------------------------- /contact beyond its limits (429)


def flooded_from_one_address(client) -> str:
    for number in range(3):
        assert client.post("/contact", form(subject=f"Problem {number}")).status_code == 302
    refused = client.post("/contact", form(subject="Problem <4>", name="<b>Carla</b>"))
    assert refused.status_code == 429
    return refused.content.decode()


def flooded_from_one_network(client) -> str:
    network = {"REMOTE_ADDR": "192.0.2.10"}  # not the address flood's
    for number in range(10):
        sent = client.post("/contact", form(email=f"p{number}@example.com"), **network)
        assert sent.status_code == 302
    refused = client.post("/contact", form(email="p11@example.com"), **network)
    assert refused.status_code == 429
    return refused.content.decode()


def test_the_contact_pages_limits_speak_in_the_companys_words(client, cast):
    words(
        contact_wait_address="{company} has your messages: reply to our mail, or wait an hour.",
        contact_wait_network="{company} hears a lot from your network: please wait an hour.",
    )

    by_address = flooded_from_one_address(client)
    by_network = flooded_from_one_network(client)

    assert "<p>Acme Rail has your messages: reply to our mail, or wait an hour.</p>" in by_address
    assert "<p>Acme Rail hears a lot from your network: please wait an hour.</p>" in by_network
    assert "several messages" not in by_address and "Too many" not in by_network


def test_without_words_of_its_own_the_contact_page_refuses_as_it_always_did(client, cast):
    by_address = flooded_from_one_address(client)
    by_network = flooded_from_one_network(client)

    assert (
        "<p>We already have several messages from this address in the last hour. Please reply "
        "to the acknowledgement email we sent you instead, or try again later.</p>"
    ) in by_address
    assert (
        "<p>Too many messages from your network in the last hour. Please try again later.</p>"
    ) in by_network


def test_the_refused_contact_form_keeps_what_was_typed_escaped(client, cast):
    words(contact_wait_address="Wait <em>an hour</em> at {company}.")

    page = flooded_from_one_address(client)

    assert "<p>Wait &lt;em&gt;an hour&lt;/em&gt; at Acme Rail.</p>" in page
    assert 'value="&lt;b&gt;Carla&lt;/b&gt;"' in page and 'value="Problem &lt;4&gt;"' in page
    assert "<b>Carla</b>" not in page and "<em>" not in page


def test_a_contact_text_naming_the_case_past_the_checks_reads_ours(client, cast, caplog):
    """/contact has no case yet: a text written straight into the database (past the company
    file and the admin, which refuse it) with {ref} is not filled with nothing, ours is shown."""
    words(contact_wait_address="Your case {ref}: wait.")

    with caplog.at_level(logging.WARNING, logger="relaydesk.org.customer_words"):
        page = flooded_from_one_address(client)

    assert "We already have several messages from this address in the last hour." in page
    assert "Your case" not in page
    assert "unknown placeholder {ref}; contact_wait_address may use {company}" in caplog.text
