"""GET /api/v1/phrases says which phrases help (what followed the replies that carried them)
and, to leads, who uses them; in a fixed number of queries however many phrases were used."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.replies.phrases_actions import PhraseFields, add_phrase
from tests import factories

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _phrase(cast, title: str):
    fields = PhraseFields(title=title, text=f"{title}, from us.", principle="take_the_blame")
    return add_phrase(acting=cast.mia, fields=fields, company_wide=True)


def _sent(api, case, phrase):
    body = {"body": "That's on us; I'm sorting it out today.", "phrases": [phrase.pk]}
    assert api.post(f"/cases/{case.ref}/replies", body).status_code == 201


@pytest.fixture
def on_us(api_as, cast):
    """Fran's reply carried "On us"; the case was solved and rated 5 after it."""
    phrase = _phrase(cast, "On us")
    with time_machine.travel(START, tick=False):
        case = factories.make_case(category=cast.billing, acting=cast.fran)
        _sent(api_as(cast.fran), case, phrase)
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        actions.solve(case, acting=cast.fran, resolution="Refunded.", one_off_reason="A slip.")
        actions.answer_survey(case, rating=5)
    return phrase


def _item(body: list[dict], title: str) -> dict:
    return next(item for item in body if item["title"] == title)


def test_a_lead_sees_what_followed_a_phrase_and_who_uses_it(api_as, cast, on_us):
    item = _item(api_as(cast.mia).get("/phrases").json(), "On us")

    assert item["uses"] == 1
    assert item["outcome"] == {"cases": 1, "rated_well": 1, "rated_badly": 0, "reopened": 0}
    assert item["used_by"] == [{"username": "fran", "name": "Fran Okafor", "uses": 1}]


def test_others_see_what_followed_but_not_who(api_as, cast, on_us):
    item = _item(api_as(cast.sam).get("/phrases").json(), "On us")

    assert item["outcome"]["rated_well"] == 1
    assert item["used_by"] is None


def test_the_list_reads_outcomes_and_users_in_two_queries(
    api_as, cast, on_us, django_assert_num_queries
):
    fran = api_as(cast.fran)
    for number in range(15):
        phrase = _phrase(cast, f"Phrase {number}")
        _sent(fran, factories.make_case(category=cast.billing, acting=cast.fran), phrase)
    api = api_as(cast.mia)

    # The token with its person, its last use, the list; the outcomes, whether a lead, who
    # used them.
    with django_assert_num_queries(6):
        body = api.get("/phrases").json()
    assert sum(1 for item in body if item["used_by"]) == 16
