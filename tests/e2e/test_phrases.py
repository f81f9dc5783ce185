"""The phrase library in a real browser: search as you type in the reply box, put a phrase in
with a click or with the keyboard, send, and the phrases used are counted."""

import re

import pytest
from playwright.sync_api import expect

from relaydesk.cases.models import EventKind
from relaydesk.replies.models import PhraseUse
from relaydesk.replies.phrases_actions import PhraseFields, add_phrase
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def library(cast):
    def add(acting, title, text, principle, company_wide=False):
        fields = PhraseFields(title=title, text=text, principle=principle)
        return add_phrase(acting=acting, fields=fields, company_wide=company_wide)

    return {
        "refund": add(
            cast.mia,
            "Refund on its way",
            "Your refund should reach your account by Friday.",
            "promise_with_a_time",
            company_wide=True,
        ),
        "sorry": add(cast.fran, "My plain sorry", "I'm sorry for the trouble.", "apologise"),
        "sams": add(cast.sam, "Sam's refund words", "Sam's own refund sentence.", "apologise"),
    }


def _options(page):
    return page.get_by_test_id("phrase-results").get_by_role("button")


def test_a_phrase_goes_into_the_reply_by_click_and_by_keyboard_and_counts_when_sent(
    page, live_server, cast, sign_in, shoot, library
):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    sign_in("fran")
    page.goto(f"{live_server.url}/cases/{case.ref}/")
    reply = page.get_by_label("Reply to the customer")
    reply.fill("Dear Carla,")

    search = page.get_by_label("Insert a phrase")
    search.press_sequentially("refund", delay=20)
    expect(_options(page)).to_have_count(1)  # the company's; never Sam's own
    expect(_options(page).first).to_contain_text("Refund on its way")
    shoot("phrase-search")
    _options(page).first.click()
    expect(reply).to_have_value("Dear Carla, Your refund should reach your account by Friday.")
    expect(reply).to_be_focused()

    search.fill("")
    search.press_sequentially("sorry", delay=20)
    expect(_options(page).first).to_contain_text("My plain sorry")
    search.press("ArrowDown")
    expect(_options(page).first).to_be_focused()
    page.keyboard.press("Enter")
    expect(reply).to_have_value(
        "Dear Carla, Your refund should reach your account by Friday. I'm sorry for the trouble."
    )
    assert not case.events.filter(kind=EventKind.REPLIED).exists()  # Enter sent nothing
    assert not PhraseUse.objects.exists()  # put in is not used: sending is

    page.get_by_role("button", name="Send to the customer").click()
    expect(page.get_by_text("Your reply is on its way to the customer.")).to_be_visible()
    replied = case.events.get(kind=EventKind.REPLIED)
    assert replied.body.startswith("Dear Carla, Your refund")
    used = PhraseUse.objects.filter(case=case, used_by=cast.fran)
    assert sorted(used.values_list("phrase__title", flat=True)) == [
        "My plain sorry",
        "Refund on its way",
    ]


def test_the_phrases_page_searches_as_i_type_and_keeps_my_phrases_mine(
    page, live_server, cast, sign_in, shoot, library
):
    sign_in("fran")
    page.get_by_role("link", name="Phrases", exact=True).click()
    cards = page.get_by_test_id("phrase")
    expect(cards).to_have_count(2)
    page.get_by_label("Search the phrases").press_sequentially("friday", delay=20)
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Refund on its way")
    expect(page).to_have_url(re.compile(r"/phrases/\?q=friday$"))

    page.get_by_label("Title").fill("Courier on us")
    page.locator("#id_phrase-text").fill("The courier was late, and that is on us.")
    page.get_by_label("The moment it is for").select_option("take_the_blame")
    page.get_by_role("button", name="Add the phrase").click()
    expect(page.get_by_text("“Courier on us” is in the library.")).to_be_visible()
    expect(cards.filter(has_text="Courier on us")).to_contain_text("yours")
    shoot("phrases-page")

    sign_in("sam")
    page.goto(f"{live_server.url}/phrases/")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="Sam's refund words")).to_contain_text("yours")
    expect(cards.filter(has_text="Courier on us")).to_have_count(0)
