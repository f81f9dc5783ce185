"""GET /api/v1/cases/{ref}/similar: earlier cases like this one, best first."""

from relaydesk.cases import actions
from tests.api.conftest import Api
from tests.factories import make_case


def test_similar_lists_earlier_cases_best_first(cast, api_as):
    earlier = make_case(category=cast.billing, acting=cast.fran, subject="Refund for my train")
    earlier = actions.solve(
        earlier, acting=cast.fran, resolution="Refunded", new_problem_title="Refunds slow"
    )
    other = make_case(category=cast.billing, acting=cast.fran, subject="Refund of a late train")
    case = make_case(category=cast.billing, acting=cast.fran, subject="Where is the train refund")
    response = api_as(cast.sam).get(f"/cases/{case.ref}/similar")
    assert response.status_code == 200, response.content
    found = response.json()
    assert {item["ref"] for item in found} == {earlier.ref, other.ref}
    assert [item["score"] for item in found] == sorted((i["score"] for i in found), reverse=True)
    problem_of = {item["ref"]: item["problem_id"] for item in found}
    assert problem_of == {earlier.ref: earlier.problem_id, other.ref: None}


def test_similar_keeps_to_the_limit(cast, api_as):
    for _ in range(3):
        make_case(category=cast.billing, acting=cast.fran, subject="Refund for my train")
    case = make_case(category=cast.billing, acting=cast.fran, subject="Train refund")
    assert len(api_as(cast.sam).get(f"/cases/{case.ref}/similar", limit=2).json()) == 2
    assert api_as(cast.sam).get(f"/cases/{case.ref}/similar", limit=0).status_code == 422


def test_similar_of_an_unknown_case_is_404(cast, api_as):
    response = api_as(cast.sam).get("/cases/RD-999999/similar")
    assert response.status_code == 404
    assert "RD-999999" in response.json()["detail"]
    assert api_as(cast.sam).get("/cases/nonsense/similar").status_code == 404


def test_similar_needs_a_token(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    assert Api(None).get(f"/cases/{case.ref}/similar").status_code == 401


def test_the_case_list_finds_cases_by_the_words_of_their_texts(cast, api_as):
    case = make_case(category=cast.billing, acting=cast.fran, subject="Question")
    actions.customer_wrote(case, body="The conductor refused my railcard", via="portal")
    make_case(category=cast.billing, acting=cast.fran, subject="Other question")
    response = api_as(cast.sam).get("/cases", q="railcards")
    assert [item["ref"] for item in response.json()["items"]] == [case.ref]
    # what q= found before stays found: part of a subject, a reference
    assert [i["ref"] for i in api_as(cast.sam).get("/cases", q="Other quest").json()["items"]]
    assert [i["ref"] for i in api_as(cast.sam).get("/cases", q=case.ref).json()["items"]] == [
        case.ref
    ]
