"""GET /cases: filters, opaque cursor pagination (newest first) and a pinned query count."""

import base64

import pytest

from relaydesk.cases import actions
from tests.factories import make_case, make_customer


def refs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["ref"] for item in response.json()["items"]]


def walk(api, **filters) -> list[list[str]]:
    """Every page of the list, following next_cursor until it is null."""
    pages, cursor = [], None
    while True:
        params = dict(filters, **({"cursor": cursor} if cursor else {}))
        response = api.get("/cases", **params)
        pages.append(refs(response))
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 100, "the cursor never ends"


@pytest.fixture
def desk(cast):
    """A small desk: fran owns three cases, sam two (one passed up from fran), eve a solved one."""
    carla = make_customer("Carla Mendes", "carla@example.com")
    piet = make_customer("Piet de Vries", "piet@example.com")
    cases = {
        "refund": make_case(
            category=cast.billing, acting=cast.fran, customer=carla, subject="Refund please"
        ),
        "invoice": make_case(
            category=cast.billing, acting=cast.fran, customer=piet, subject="Invoice address"
        ),
        "double": make_case(
            category=cast.billing, acting=cast.fran, customer=carla, subject="Charged twice"
        ),
        "card": make_case(
            category=cast.billing, acting=cast.sam, customer=piet, subject="Card declined"
        ),
        "passed": make_case(
            category=cast.billing, acting=cast.fran, customer=piet, subject="Wrong fare"
        ),
        "solved": make_case(
            category=cast.billing, acting=cast.eve, customer=carla, subject="Lost ticket"
        ),
    }
    actions.pass_case(
        cases["passed"], acting=cast.fran, to_user=cast.sam, reason="needs_expertise", note="Hi."
    )
    actions.solve(cases["solved"], acting=cast.eve, resolution="Found it.", one_off_reason="Once.")
    return {name: case.ref for name, case in cases.items()}


def test_the_list_is_newest_first(cast, api_as, desk):
    listed = refs(api_as(cast.fran).get("/cases"))
    assert listed == list(reversed(desk.values()))


def test_the_cursor_walks_every_page_without_repeats(cast, api_as, desk):
    pages = walk(api_as(cast.fran), limit=4)
    assert [len(page) for page in pages] == [4, 2]
    walked = [ref for page in pages for ref in page]
    assert walked == list(reversed(desk.values()))


def test_pages_are_50_by_default(cast, api_as):
    opened = [make_case(category=cast.billing, acting=cast.fran).ref for _ in range(53)]
    pages = walk(api_as(cast.fran))
    assert [len(page) for page in pages] == [50, 3]
    walked = [ref for page in pages for ref in page]
    assert len(set(walked)) == 53 and walked == list(reversed(opened))


def test_a_case_opened_while_walking_does_not_repeat_rows(cast, api_as, desk):
    api = api_as(cast.fran)
    first = api.get("/cases", limit=3)
    newcomer = make_case(category=cast.billing, acting=cast.fran).ref
    second = api.get("/cases", limit=3, cursor=first.json()["next_cursor"])
    assert set(refs(first)).isdisjoint(refs(second))
    assert newcomer not in refs(first) + refs(second)


def test_the_cursor_keeps_the_filters(cast, api_as, desk):
    pages = walk(api_as(cast.fran), owner="fran", limit=1)
    assert [ref for page in pages for ref in page] == [
        desk["double"],
        desk["invoice"],
        desk["refund"],
    ]


def test_filter_by_owner(cast, api_as, desk):
    api = api_as(cast.sam)
    assert refs(api.get("/cases", owner="sam")) == [desk["passed"], desk["card"]]
    assert refs(api.get("/cases", owner="me")) == [desk["passed"], desk["card"]]
    assert refs(api.get("/cases", owner="nobody")) == []


def test_filter_by_tier_and_status(cast, api_as, desk):
    api = api_as(cast.fran)
    assert refs(api.get("/cases", tier="specialist")) == [desk["passed"], desk["card"]]
    assert refs(api.get("/cases", status="solved")) == [desk["solved"]]
    assert refs(api.get("/cases", tier="frontline", status="open")) == [
        desk["double"],
        desk["invoice"],
        desk["refund"],
    ]


def test_q_finds_a_ref_exactly(cast, api_as, desk):
    api = api_as(cast.fran)
    assert refs(api.get("/cases", q=desk["invoice"])) == [desk["invoice"]]
    assert refs(api.get("/cases", q=desk["invoice"].lower())) == [desk["invoice"]]


def test_q_matches_subject_or_customer_name(cast, api_as, desk):
    api = api_as(cast.fran)
    assert refs(api.get("/cases", q="charged")) == [desk["double"]]
    assert refs(api.get("/cases", q="de vries")) == [desk["passed"], desk["card"], desk["invoice"]]
    assert refs(api.get("/cases", q="piet", owner="fran")) == [desk["invoice"]]


def test_filter_by_category(cast, api_as, desk):
    api = api_as(cast.fran)
    assert len(refs(api.get("/cases", category="billing"))) == 6
    assert refs(api.get("/cases", category="delivery")) == []


def test_items_carry_what_a_queue_shows(cast, api_as, desk):
    [item] = api_as(cast.fran).get("/cases", q=desk["passed"]).json()["items"]
    assert item["subject"] == "Wrong fare" and item["customer"] == "Piet de Vries"
    assert (item["owner"], item["owner_name"], item["tier"]) == ("sam", "Sam Special", "specialist")
    assert item["status"] == "open" and item["category"] == "billing"
    assert item["deadline"] and item["opened_at"] and item["solved_at"] is None


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        "x",
        _b64("not json"),
        _b64("[1, 2]"),
        _b64('{"v": 1, "before": -5}'),
        _b64('{"v": 1, "before": "12"}'),
        _b64('{"v": 1, "before": 99999999999999999999999}'),
        _b64('{"v": 2, "before": 12}'),
        _b64('{"v": 1, "before": true}'),
        base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),
    ],
)
def test_a_cursor_we_did_not_give_out_is_400(cast, api_as, desk, cursor):
    response = api_as(cast.fran).get("/cases", cursor=cursor)
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


@pytest.mark.parametrize(
    "params", [{"status": "lost"}, {"limit": 0}, {"limit": 101}, {"q": "x" * 201}, {"limit": "a"}]
)
def test_bad_filters_are_422(cast, api_as, params):
    response = api_as(cast.fran).get("/cases", **params)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_the_list_does_not_query_per_row(cast, api_as, django_assert_max_num_queries):
    people = [cast.fran, cast.fiona, cast.sam, cast.eve, cast.mia, cast.ed]
    for number in range(30):
        make_case(
            category=cast.billing,
            acting=people[number % len(people)],
            customer=make_customer(f"Customer {number}", f"c{number}@example.com"),
        )
    api = api_as(cast.fran)
    assert api.get("/tiers").status_code == 200  # the token's first use is recorded here
    # The company's time zone (site middleware), the token with its user and staff profile,
    # the page's ids and its rows: four queries whether the page holds one row or thirty.
    with django_assert_max_num_queries(4):
        response = api.get("/cases")
    assert len(refs(response)) == 30
    assert {item["owner"] for item in response.json()["items"]} == {p.username for p in people}
