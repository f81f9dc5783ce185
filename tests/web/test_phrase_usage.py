"""Which phrases help, and who uses them, on the Phrases page: for each phrase the cases its
sent replies went to and what followed them (a survey rated 4–5 or 1–2, a reopening), read in
two queries however many phrases; who used it is shown to leads only."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.replies.phrases_actions import PhraseFields, add_phrase
from relaydesk.replies.phrases_usage import Outcome, outcomes
from tests import factories

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class Clock:
    """Every step an hour after the last, so "later" is plain."""

    def __init__(self):
        self.moment = START

    def step(self):
        self.moment += timedelta(hours=1)
        return time_machine.travel(self.moment, tick=False)


@pytest.fixture
def clock():
    return Clock()


def _phrase(cast, title: str):
    fields = PhraseFields(title=title, text=f"{title}, from us.", principle="take_the_blame")
    return add_phrase(acting=cast.mia, fields=fields, company_wide=True)


def _reply(client, clock, case, phrase, words="That's on us; I'm sorting it out today."):
    with clock.step():
        response = client.post(
            f"/cases/{case.ref}/reply/", {"reply-body": words, "reply-phrases": [phrase.pk]}
        )
    assert response.status_code == 302


def _solve_and_rate(clock, case, solver, rating: int):
    with clock.step():
        actions.solve(case, acting=solver, resolution="Refunded.", one_off_reason="A slip.")
    with clock.step():
        actions.answer_survey(case, rating=rating)


@pytest.fixture
def story(signed_in, cast, clock):
    """ "On us" went to four cases: rated 5 after it; rated 1 (which reopens) after it; twice
    to one case by Sam, nothing since; and to a case rated 5 and reopened *before* it."""
    on_us = _phrase(cast, "On us")
    _phrase(cast, "Never used")
    cases = []
    for _ in range(4):
        with clock.step():
            cases.append(factories.make_case(category=cast.billing, acting=cast.fran))
    well, badly, twice, before = cases
    fran = signed_in(cast.fran)
    _reply(fran, clock, well, on_us)
    _solve_and_rate(clock, well, cast.fran, 5)
    _reply(fran, clock, badly, on_us)
    _solve_and_rate(clock, badly, cast.fran, 1)
    _solve_and_rate(clock, before, cast.fran, 5)
    with clock.step():
        actions.reopen(before, acting=cast.fran, why="The refund bounced.")
    _reply(fran, clock, before, on_us)
    sam = signed_in(cast.sam)
    _reply(sam, clock, twice, on_us)
    _reply(sam, clock, twice, on_us)
    return on_us


def _card(html: str, phrase) -> str:
    return re.search(rf'data-phrase="{phrase.pk}">(.*?)</li>', html, re.S).group(1)


def _counts(card: str) -> dict[str, int]:
    return {key: int(value) for key, value in re.findall(r'data-count="(\w+)">(\d+)<', card)}


def test_the_outcome_counts_each_case_once_and_only_what_came_after(cast, story):
    assert outcomes([story.pk]) == {
        story.pk: Outcome(cases=4, rated_well=1, rated_badly=1, reopened=1)
    }


def test_the_page_shows_what_followed_a_phrase_and_a_lead_sees_who_uses_it(signed_in, cast, story):
    html = signed_in(cast.mia).get("/phrases/").content.decode()

    card = _card(html, story)
    assert "used in 5 sent replies" in card
    assert _counts(card) == {"cases": 4, "rated_well": 1, "rated_badly": 1, "reopened": 1}
    users = re.search(r'data-testid="phrase-users">(.*?)</p>', card).group(1)
    assert users == "Used by Fran Okafor (3), Sam Special (2)"
    unused = re.search(r"<h3>Never used</h3>(.*?)</li>", html, re.S).group(1)
    assert "phrase-outcome" not in unused and "phrase-users" not in unused


def test_who_uses_a_phrase_is_for_leads_only(signed_in, cast, story):
    card = _card(signed_in(cast.fran).get("/phrases/").content.decode(), story)

    assert _counts(card)["cases"] == 4  # what helps is for everyone to learn from
    assert "phrase-users" not in card and "Sam Special" not in card


def test_the_page_reads_the_outcomes_in_two_queries_however_many_phrases(
    signed_in, cast, clock, story, django_assert_max_num_queries
):
    for number in range(20):
        phrase = _phrase(cast, f"Phrase {number}")
        case = factories.make_case(category=cast.billing, acting=cast.fran)
        _reply(signed_in(cast.fran), clock, case, phrase)
        _reply(signed_in(cast.sam), clock, case, phrase)
    client = signed_in(cast.mia)

    # The page's seven (relaydesk.web.views.phrases, tests/web/test_phrases.py), the outcomes,
    # and who used them.
    with django_assert_max_num_queries(9):
        html = client.get("/phrases/").content.decode()
    assert html.count('data-testid="phrase-users"') == 21
