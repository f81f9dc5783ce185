"""GET /api/v1/phrases: the company's phrases and the caller's own, never someone else's."""

import pytest

from relaydesk.replies.models import PhraseUse, Principle
from relaydesk.replies.phrases_actions import PhraseFields, add_phrase, count_uses
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(cast):
    """A company-wide phrase by mia (a lead), and a personal one each for fran and sam."""
    return {
        "company": add_phrase(
            acting=cast.mia,
            company_wide=True,
            fields=PhraseFields(
                title="Refund on its way",
                text="Your refund should reach you by Friday.",
                principle=Principle.PROMISE_WITH_A_TIME,
                tags="refund, billing",
            ),
        ),
        "fran": add_phrase(
            acting=cast.fran,
            fields=PhraseFields(
                title="Fran's refund sorry",
                text="Sorry the refund took so long.",
                principle=Principle.APOLOGISE,
                tags="refund",
            ),
        ),
        "sam": add_phrase(
            acting=cast.sam,
            fields=PhraseFields(
                title="Sam's refund line",
                text="I have sent the refund myself.",
                principle=Principle.MAKE_A_FAN,
            ),
        ),
    }


def test_the_caller_sees_the_company_phrases_and_their_own(api_as, cast, library):
    response = api_as(cast.fran).get("/phrases", q="refund")

    assert response.status_code == 200
    body = response.json()
    assert {item["title"] for item in body} == {"Refund on its way", "Fran's refund sorry"}
    company = next(item for item in body if item["title"] == "Refund on its way")
    assert company == {
        "id": library["company"].pk,
        "title": "Refund on its way",
        "text": "Your refund should reach you by Friday.",
        "principle": "promise_with_a_time",
        "principle_label": "Promise with a time",
        "tags": ["refund", "billing"],
        "personal": False,
        "uses": 0,
        "outcome": {"cases": 0, "rated_well": 0, "rated_badly": 0, "reopened": 0},
        "used_by": None,  # for leads only
    }


def test_another_persons_personal_phrase_never_shows(api_as, cast, library):
    titles = {item["title"] for item in api_as(cast.mia).get("/phrases").json()}

    assert "Refund on its way" in titles
    assert "Fran's refund sorry" not in titles and "Sam's refund line" not in titles


def test_every_word_must_match_and_the_most_used_come_first(api_as, cast, library):
    extra = add_phrase(
        acting=cast.mia,
        company_wide=True,
        fields=PhraseFields(
            title="Billing mix-up", text="Sorry about the invoice.", principle="apologise"
        ),
    )
    count_uses(acting=cast.fran, phrase_ids=[extra.pk])

    found = api_as(cast.fran).get("/phrases").json()
    assert found[0]["title"] == "Billing mix-up" and found[0]["uses"] == 1
    both = api_as(cast.fran).get("/phrases", q="refund friday").json()
    assert [item["title"] for item in both] == ["Refund on its way"]
    by_principle = api_as(cast.fran).get("/phrases", principle="apologise").json()
    assert [item["title"] for item in by_principle] == ["Billing mix-up", "Fran's refund sorry"]
    by_its_name = api_as(cast.fran).get("/phrases", q="apolog").json()
    assert {item["title"] for item in by_its_name} == {"Billing mix-up", "Fran's refund sorry"}


def test_bad_input_is_refused_plainly(api_as, cast, library):
    api = api_as(cast.fran)

    assert api.get("/phrases", principle="blame_them").status_code == 422
    assert api.get("/phrases", q="x" * 201).status_code == 422
    assert api.get("/phrases", q="refund\x00").status_code == 422
    assert api_as(cast.fran).client.get("/api/v1/phrases").status_code == 401


def test_the_list_is_one_query_however_long(api_as, cast, library, django_assert_max_num_queries):
    for number in range(30):
        add_phrase(
            acting=cast.mia,
            company_wide=True,
            fields=PhraseFields(title=f"Phrase {number}", text="Words.", principle="apologise"),
        )
    api = api_as(cast.fran)

    with django_assert_max_num_queries(4):  # the token, its user and staff, its last use, the list
        response = api.get("/phrases")
    assert len(response.json()) == 32


def test_a_reply_sent_through_the_api_counts_the_phrases_it_names(api_as, cast, library):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    ids = [library["company"].pk, library["fran"].pk, library["sam"].pk]
    api = api_as(cast.fran)

    response = api.post(
        f"/cases/{case.ref}/replies", {"body": "Your refund reaches you by Friday.", "phrases": ids}
    )

    assert response.status_code == 201
    used = PhraseUse.objects.filter(case=case, used_by=cast.fran)
    assert sorted(used.values_list("phrase_id", flat=True)) == sorted(ids[:2])  # not sam's
    too_many = {"body": "Hello.", "phrases": list(range(1, 22))}
    assert api.post(f"/cases/{case.ref}/replies", too_many).status_code == 422
    assert (
        api.post(f"/cases/{case.ref}/replies", {"body": "Hi.", "phrases": [0]}).status_code == 422
    )
    assert PhraseUse.objects.count() == 2
