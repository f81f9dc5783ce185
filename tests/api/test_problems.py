"""The problems API: the list's new fields, one problem's story, and the steering posts
(fixed, reopen, owner) with their 4xx answers."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.problems import actions as problems
from tests.factories import make_case
from tests.problems.helpers import make_problem, solved_with

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_listed_problems_carry_status_owner_recent_cases_and_came_back(cast, api_as):
    with time_machine.travel(MONDAY_NINE - timedelta(days=60), tick=False):
        quiet = make_problem(cast.mia, "Printer jams")
        solved_with(quiet, category=cast.billing, owner=cast.fran, n=9)  # long ago
    with time_machine.travel(MONDAY_NINE, tick=False):
        busy = make_problem(cast.mia, "Double charges")
        problems.set_problem_owner(busy, acting=cast.mia, owner=cast.eve)
        for n in range(2):
            solved_with(busy, category=cast.billing, owner=cast.fran, n=n)
        problems.mark_fixed(busy, acting=cast.eve, note="Fixed the retry.")
        solved_with(busy, category=cast.billing, owner=cast.fran, n=3)
        listed = {item["title"]: item for item in api_as(cast.fran).get("/problems").json()}

    assert listed["Double charges"] | {"id": 0, "created_at": "", "fixed_at": ""} == {
        "id": 0,
        "title": "Double charges",
        "description": "Station 4's machine.",
        "created_at": "",
        "created_by": "mia",
        "fixed_at": "",
        "status": "fixed",
        "owner": "eve",
        "fixed_note": "Fixed the retry.",
        "cases_30d": 3,
        "came_back": True,
        "came_back_at": listed["Double charges"]["came_back_at"],
    }
    assert listed["Double charges"]["came_back_at"] is not None
    assert (listed["Printer jams"]["cases_30d"], listed["Printer jams"]["came_back"]) == (0, False)


def test_the_list_filters_by_status(cast, api_as):
    make_problem(cast.mia, "Printer jams")
    fixed = make_problem(cast.mia, "Double charges")
    problems.mark_fixed(fixed, acting=cast.mia, note="Fixed.")
    api = api_as(cast.fran)
    assert [p["title"] for p in api.get("/problems", status="fixed").json()] == ["Double charges"]
    assert [p["title"] for p in api.get("/problems", open_only=True).json()] == ["Printer jams"]
    assert api.get("/problems", status="gone").status_code == 422


def test_posting_a_problem_opens_it_through_the_action(cast, api_as):
    response = api_as(cast.fran).post("/problems", {"title": "Printer jams"})
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["owner"], body["cases_30d"], body["came_back"]) == (
        "open",
        None,
        0,
        False,
    )
    detail = api_as(cast.fran).get(f"/problems/{body['id']}").json()
    assert [event["kind"] for event in detail["events"]] == ["opened"]


def test_one_problem_with_its_history_and_linked_cases_before_and_after_the_fix(cast, api_as):
    with time_machine.travel(MONDAY_NINE, tick=False):
        problem = make_problem(cast.mia)
        before = solved_with(problem, category=cast.billing, owner=cast.fran, n=1)
    with time_machine.travel(MONDAY_NINE + timedelta(days=1), tick=False):
        problems.mark_fixed(problem, acting=cast.mia, note="Replaced the reader.")
    with time_machine.travel(MONDAY_NINE + timedelta(days=2), tick=False):
        after = make_case(category=cast.billing, acting=cast.fran)
        actions.link_case_to_problem(after, problem, acting=cast.fran)
        body = api_as(cast.sam).get(f"/problems/{problem.pk}").json()

    assert [(e["kind"], e["actor"], e["case"]) for e in body["events"]] == [
        ("came_back", "fran", after.ref),
        ("fixed", "mia", None),
        ("opened", "mia", None),
    ]
    assert [(c["ref"], c["status"], c["after_fix"]) for c in body["linked_cases"]] == [
        (after.ref, "open", True),
        (before.ref, "solved", False),
    ]
    assert (body["linked_total"], body["before_fix"], body["after_fix"]) == (2, 1, 1)
    assert body["came_back"] is True


def test_a_lead_sets_the_owner_who_marks_it_fixed_and_reopens_it(cast, api_as):
    problem = make_problem(cast.fran)
    owned = api_as(cast.mia).post(f"/problems/{problem.pk}/owner", {"username": "sam"})
    assert (owned.status_code, owned.json()["owner"], owned.json()["status"]) == (
        200,
        "sam",
        "being_fixed",
    )
    sam = api_as(cast.sam)
    fixed = sam.post(f"/problems/{problem.pk}/fixed", {"note": "New card reader."})
    assert (fixed.status_code, fixed.json()["status"], fixed.json()["fixed_note"]) == (
        200,
        "fixed",
        "New card reader.",
    )
    reopened = sam.post(f"/problems/{problem.pk}/reopen", {"why": "It failed again."})
    assert (reopened.status_code, reopened.json()["status"]) == (200, "being_fixed")
    cleared = sam.post(f"/problems/{problem.pk}/owner", {"username": None})
    assert (cleared.json()["owner"], cleared.json()["status"]) == (None, "open")


@pytest.mark.parametrize(
    ("who", "path", "body", "status", "detail"),
    [
        ("fran", "/problems/{id}/fixed", {"note": "Done."}, 403, "Only leads, executives"),
        ("mia", "/problems/{id}/fixed", {"note": "  "}, 422, "Write what the fix was."),
        ("mia", "/problems/{id}/fixed", {}, 422, None),
        ("mia", "/problems/{id}/fixed", {"note": "x", "extra": 1}, 422, None),
        ("mia", "/problems/{id}/reopen", {"why": "Broke."}, 409, "is not marked fixed"),
        ("mia", "/problems/{id}/owner", {"username": "nobody"}, 422, "no staff member"),
        ("mia", "/problems/{id}/owner", {"username": ""}, 422, None),
        ("mia", "/problems/999999/fixed", {"note": "Done."}, 404, "There is no problem 999999."),
        ("mia", "/problems/99999999999999999999999/fixed", {"note": "x"}, 404, None),
        ("mia", "/problems/abc/fixed", {"note": "Done."}, 422, None),
        ("mia", "/problems/{id}/fixed", {"note": "a\x00b"}, 422, None),
    ],
)
def test_bad_posts_get_a_4xx_json_answer(cast, api_as, who, path, body, status, detail):
    problem = make_problem(cast.fran)
    response = api_as(getattr(cast, who)).post(path.format(id=problem.pk), body)
    assert response.status_code == status
    answer = response.json()
    assert "detail" in answer
    if detail is not None:
        assert detail in answer["detail"]
    problem.refresh_from_db()
    assert problem.status == "open"


def test_an_unknown_or_huge_problem_id_is_a_404_when_read(cast, api_as):
    api = api_as(cast.fran)
    assert api.get("/problems/424242").status_code == 404
    assert api.get("/problems/99999999999999999999999").status_code == 404
    assert api.get("/problems/0").json() == {"detail": "There is no problem 0."}


def test_the_problem_list_takes_a_fixed_number_of_queries(
    cast, api_as, django_assert_max_num_queries
):
    for n in range(3):
        problem = make_problem(cast.mia, f"Problem {n}")
        problems.set_problem_owner(problem, acting=cast.mia, owner=cast.eve)
        solved_with(problem, category=cast.billing, owner=cast.fran, n=n)
    api = api_as(cast.fran)
    with django_assert_max_num_queries(3):  # the token with its user, its last use, the problems
        assert len(api.get("/problems").json()) == 3
