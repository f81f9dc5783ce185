"""The tone check live in the reply box, in a real browser (rule 10): the words marked as the
person types, with the why; one click puts the better phrase in; a warned reply is refused
until "send anyway" is ticked, and then the history says so."""

import pytest
from playwright.sync_api import expect

from relaydesk.cases.models import EventKind
from relaydesk.replies.models import PhraseUse
from relaydesk.replies.phrases_actions import PhraseFields, add_phrase
from tests import factories

pytestmark = pytest.mark.browser

# The emoji is one character to the server and two to the textarea: the marks and the
# suggestion must land on the words all the same.
BLAMING = "Hi Carla 👋, our records clearly show that you agreed to the upgrade."
WORDS = "our records clearly show that you agreed"
BETTER = "I'd like to look at the upgrade with you"


@pytest.fixture
def case(cast):
    return factories.make_case(category=cast.billing, acting=cast.fran)


def test_the_words_are_marked_and_one_click_puts_the_better_phrase_in(
    page, live_server, cast, sign_in, shoot, case
):
    fields = PhraseFields(title="Look together", text=BETTER, principle="apologise")
    phrase = add_phrase(acting=cast.mia, fields=fields, company_wide=True)
    sign_in("fran")
    page.goto(f"{live_server.url}/cases/{case.ref}/")
    reply = page.get_by_label("Reply to the customer")

    reply.press_sequentially(BLAMING, delay=10)
    live = page.get_by_test_id("tone-live")
    marked = live.get_by_test_id("tone-mirror").locator("mark")
    expect(marked).to_have_text(WORDS, timeout=15_000)  # a busy shared machine, not a speed test
    expect(live.get_by_test_id("tone-mirror")).to_have_text(BLAMING)
    warning = live.get_by_test_id("tone-live-warning")
    expect(warning).to_contain_text("tells them we think they are lying")
    expect(warning).to_contain_text(BETTER)
    shoot("tone-live-warned")

    warning.get_by_role("button", name="Put this in").click()
    fixed = f"Hi Carla 👋, {BETTER} to the upgrade."
    expect(reply).to_have_value(fixed)
    expect(reply).to_be_focused()
    expect(live.get_by_test_id("tone-live-warning")).to_have_count(0)  # checked again: well
    expect(live).to_have_text("")

    page.get_by_role("button", name="Send to the customer").click()
    expect(page.get_by_text("Your reply is on its way to the customer.")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text(BETTER)
    replied = case.events.get(kind=EventKind.REPLIED)
    assert (replied.body, replied.data["send_anyway"]) == (fixed, False)
    assert PhraseUse.objects.get(case=case).phrase == phrase  # the library's phrase helped


def test_the_suggestion_finds_its_words_when_the_reply_changed_since_the_check(
    page, live_server, cast, sign_in, case
):
    sign_in("fran")
    page.goto(f"{live_server.url}/cases/{case.ref}/")
    reply = page.get_by_label("Reply to the customer")
    reply.fill(BLAMING)
    fix = page.get_by_test_id("tone-live-warning").get_by_role("button", name="Put this in")
    expect(fix).to_have_count(1)
    # Words typed before the marked ones, the check not yet run again (no input event).
    reply.evaluate("box => { box.value = 'Dear Carla 🌷,\\n' + box.value; }")

    fix.click()

    expect(reply).to_have_value(
        "Dear Carla 🌷,\nHi Carla 👋, Here is what I can see on our side; could you help me "
        "match it with what you saw? to the upgrade."
    )


def test_a_warned_reply_is_refused_until_send_anyway(page, live_server, cast, sign_in, case):
    sign_in("fran")
    page.goto(f"{live_server.url}/cases/{case.ref}/")
    reply = page.get_by_label("Reply to the customer")
    reply.fill(BLAMING)
    expect(page.get_by_test_id("tone-live-warning")).to_have_count(1)

    page.get_by_role("button", name="Send to the customer").click()
    refused = page.get_by_test_id("tone-warnings")
    expect(refused.locator("mark")).to_have_text(WORDS)
    expect(refused).to_contain_text("tells them we think they are lying")
    expect(page.get_by_test_id("domain-error")).to_be_visible()
    expect(reply).to_have_value(BLAMING)  # the words are kept to change or send
    assert not case.events.filter(kind=EventKind.REPLIED).exists()

    page.get_by_test_id("reply-send-anyway").check()
    page.get_by_role("button", name="Send to the customer").click()
    expect(page.get_by_text("Your reply is on its way to the customer.")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("our records clearly show")
    replied = case.events.get(kind=EventKind.REPLIED)
    assert replied.data["send_anyway"] is True
    assert replied.data["tone_warnings"][0]["rule"] == "argue.records_show"
