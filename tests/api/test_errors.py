"""Refusals: a 4xx with a plain reason in {"detail": …}, never a 500."""

import pytest

from relaydesk.cases.models import Case, Event
from tests.api.conftest import open_body
from tests.factories import make_case


@pytest.fixture
def fran_case(cast):
    """An open billing case owned by fran (frontline) with its invoice number."""
    return make_case(category=cast.billing, acting=cast.fran)


def history(case: Case) -> list[str]:
    return list(Event.objects.filter(case=case).values_list("kind", flat=True))


# 404 ----------------------------------------------------------------------------------------


def test_an_unknown_ref_is_404(cast, api_as):
    response = api_as(cast.fran).get("/cases/RD-99999")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no case RD-99999."}


@pytest.mark.parametrize("ref", ["banana", "RD-", "RD-12x", "RD-99999999999999999999", "RD-5"])
def test_a_malformed_ref_is_404(cast, api_as, ref):
    response = api_as(cast.fran).post(f"/cases/{ref}/take")
    assert response.status_code == 404
    assert "not a case reference" in response.json()["detail"]


def test_acting_on_an_unknown_ref_is_404(cast, api_as):
    response = api_as(cast.fran).post("/cases/RD-99999/notes", {"body": "hello"})
    assert response.status_code == 404


# 409: a broken rule ---------------------------------------------------------------------------


def test_frontline_cannot_take_a_case_from_a_higher_tier(cast, api_as, fran_case):
    api_as(cast.sam).post(f"/cases/{fran_case.ref}/take")
    response = api_as(cast.fiona).post(f"/cases/{fran_case.ref}/take")
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"{fran_case.ref} is at Specialist; Fiona Front at Frontline cannot take it "
        "from above."
    }
    fran_case.refresh_from_db()
    assert fran_case.owner == cast.sam


def test_only_the_owner_can_solve(cast, api_as, fran_case):
    response = api_as(cast.sam).post(
        f"/cases/{fran_case.ref}/solve", {"resolution": "Refunded.", "one_off_reason": "Typo."}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"Only the owner can solve {fran_case.ref}; it is owned by Fran Okafor."
    )
    fran_case.refresh_from_db()
    assert fran_case.status == "open"
    assert "solved" not in history(fran_case)


def test_only_the_owner_can_pass(cast, api_as, fran_case):
    response = api_as(cast.fiona).post(
        f"/cases/{fran_case.ref}/pass",
        {"to_tier": "specialist", "reason": "needs_expertise", "note": "Please."},
    )
    assert response.status_code == 409
    assert "Only the owner can pass" in response.json()["detail"]


def test_reopening_an_open_case_is_409(cast, api_as, fran_case):
    response = api_as(cast.fran).post(f"/cases/{fran_case.ref}/reopen", {"why": "Again."})
    assert response.status_code == 409
    assert response.json() == {"detail": f"{fran_case.ref} is already open."}


def test_taking_your_own_case_is_409(cast, api_as, fran_case):
    response = api_as(cast.fran).post(f"/cases/{fran_case.ref}/take")
    assert response.status_code == 409
    assert response.json() == {"detail": f"{fran_case.ref} is already yours."}


def test_opening_when_nobody_is_on_duty_is_409(cast, api_as):
    from relaydesk.org.models import Staff

    Staff.objects.update(on_duty=False)
    response = api_as(cast.fran).post("/cases", open_body())
    assert response.status_code == 409
    assert response.json() == {"detail": "Nobody is on duty to take a Billing case."}
    assert not Case.objects.exists()


# 422: missing or malformed input -------------------------------------------------------------


def test_pass_without_a_reason_is_422(cast, api_as, fran_case):
    response = api_as(cast.fran).post(
        f"/cases/{fran_case.ref}/pass", {"to_tier": "specialist", "note": "Please."}
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "reason" and error["type"] == "missing"
    assert history(fran_case) == ["opened", "acknowledged"]


def test_pass_with_a_reason_not_on_the_list_is_422(cast, api_as, fran_case):
    response = api_as(cast.fran).post(
        f"/cases/{fran_case.ref}/pass",
        {"to_tier": "specialist", "reason": "bored", "note": "Please."},
    )
    assert response.status_code == 422
    assert "needs_authority" in str(response.json()["detail"])


def test_pass_with_a_blank_note_is_422_with_the_field(cast, api_as, fran_case):
    response = api_as(cast.fran).post(
        f"/cases/{fran_case.ref}/pass",
        {"to_tier": "specialist", "reason": "needs_expertise", "note": "   "},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Write a note for the next owner."


def test_pass_to_both_a_person_and_a_tier_is_422(cast, api_as, fran_case):
    response = api_as(cast.fran).post(
        f"/cases/{fran_case.ref}/pass",
        {"to_user": "sam", "to_tier": "specialist", "reason": "needs_expertise", "note": "Hi."},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Pass to a named person or to a tier (one of them)."


def test_pass_to_an_unknown_person_or_tier_is_422(cast, api_as, fran_case):
    api = api_as(cast.fran)
    to_nobody = api.post(
        f"/cases/{fran_case.ref}/pass",
        {"to_user": "nobody", "reason": "needs_expertise", "note": "Hi."},
    )
    to_nowhere = api.post(
        f"/cases/{fran_case.ref}/pass",
        {"to_tier": "heaven", "reason": "needs_expertise", "note": "Hi."},
    )
    assert (to_nobody.status_code, to_nowhere.status_code) == (422, 422)
    assert to_nobody.json()["fields"] == {"to_user": "Unknown."}
    assert to_nowhere.json()["detail"] == "There is no tier 'heaven'."


def test_passing_up_with_required_details_missing_is_422(cast, api_as):
    case = make_case(category=cast.billing, acting=cast.fran, details={})
    response = api_as(cast.fran).post(
        f"/cases/{case.ref}/pass",
        {"to_tier": "specialist", "reason": "needs_expertise", "note": "Please."},
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"invoice": "Required before passing up."}


def test_solve_without_a_resolution_is_422(cast, api_as, fran_case):
    api = api_as(cast.fran)
    missing = api.post(f"/cases/{fran_case.ref}/solve", {"one_off_reason": "Typo."})
    blank = api.post(
        f"/cases/{fran_case.ref}/solve", {"resolution": " ", "one_off_reason": "Typo."}
    )
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"][-1] == "resolution"
    assert blank.status_code == 422 and blank.json()["detail"] == "Write the resolution."
    fran_case.refresh_from_db()
    assert fran_case.status == "open"


def test_solve_without_the_second_fix_decision_is_422(cast, api_as, fran_case):
    response = api_as(cast.fran).post(f"/cases/{fran_case.ref}/solve", {"resolution": "Done."})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Fix it twice")
    assert response.json()["fields"] == {"one_off_reason": "Choose the second fix."}


def test_solve_with_two_second_fix_decisions_is_422(cast, api_as, fran_case):
    response = api_as(cast.fran).post(
        f"/cases/{fran_case.ref}/solve",
        {"resolution": "Done.", "one_off_reason": "Typo.", "new_problem": {"title": "Typos"}},
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Fix it twice")


def test_solve_with_an_unknown_problem_is_422(cast, api_as, fran_case):
    response = api_as(cast.fran).post(
        f"/cases/{fran_case.ref}/solve", {"resolution": "Done.", "problem_id": 4242}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "There is no problem 4242.",
        "fields": {"problem_id": "Unknown."},
    }


def test_opening_in_an_unknown_category_is_422(cast, api_as):
    response = api_as(cast.fran).post("/cases", open_body(category="weather"))
    assert response.status_code == 422
    assert response.json() == {
        "detail": "There is no category 'weather'.",
        "fields": {"category": "Unknown."},
    }
    assert not Case.objects.exists()


def test_opening_with_bad_details_is_422_naming_each_field(cast, api_as):
    response = api_as(cast.fran).post(
        "/cases", open_body(details={"invoice": "INV-1", "amount": "lots", "colour": "red"})
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "amount": "Enter a number.",
        "colour": "Billing has no field 'colour'.",
    }
    assert not Case.objects.exists()


def test_opening_with_an_unknown_realtime_trigger_is_422(cast, api_as):
    response = api_as(cast.fran).post("/cases", open_body(realtime_triggers=["storm"]))
    assert response.status_code == 422
    assert response.json()["detail"] == "Billing has no realtime trigger storm."


@pytest.mark.parametrize(
    "change",
    [
        {"customer": {"name": "Carla"}},  # no email
        {"customer": {"name": "Carla", "email": "not-an-address"}},
        {"customer": {"name": "", "email": "carla@example.com"}},
        {"subject": ""},
        {"subject": "x" * 301},
        {"channel": "carrier-pigeon"},
        {"details": {"invoice": "x" * 10_001}},
        {"details": {"invoice": {"nested": "object"}}},
        {"details": {f"field{n}": "x" for n in range(101)}},
        {"realtime_triggers": "travel_today"},
        {"surprise": "unknown keys are refused"},
    ],
)
def test_opening_with_malformed_input_is_422(cast, api_as, change):
    response = api_as(cast.fran).post("/cases", open_body(**change))
    assert response.status_code == 422, response.content
    assert "detail" in response.json()
    assert not Case.objects.exists()


def test_a_note_over_the_limit_is_422(cast, api_as, fran_case):
    response = api_as(cast.fran).post(f"/cases/{fran_case.ref}/notes", {"body": "x" * 20_001})
    assert response.status_code == 422


# 400: bodies that are not JSON ----------------------------------------------------------------


@pytest.mark.parametrize("raw", ["{not json", "\x00\xff", '{"resolution": "Done.",}'])
def test_a_body_that_is_not_json_is_400(cast, api_as, fran_case, raw):
    api = api_as(cast.fran)
    response = api.client.post(
        f"/api/v1/cases/{fran_case.ref}/solve",
        raw,
        content_type="application/json",
        **api.headers,
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}


@pytest.mark.parametrize("body", ["[]", '"a string"', "42", "null"])
def test_json_that_is_not_an_object_is_4xx(cast, api_as, fran_case, body):
    api = api_as(cast.fran)
    response = api.client.post(
        f"/api/v1/cases/{fran_case.ref}/notes", body, content_type="application/json", **api.headers
    )
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_an_empty_body_where_one_is_needed_is_422(cast, api_as, fran_case):
    response = api_as(cast.fran).post(f"/cases/{fran_case.ref}/reopen")
    assert response.status_code == 422


# Text PostgreSQL cannot store -----------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"subject": "Charged\x00twice"},
        {"customer": {"name": "Carla\x00", "email": "carla@example.com"}},
        {"details": {"invoice": "INV\x00-1"}},
        {"details": {"amount": float("nan")}},
    ],
)
def test_nul_characters_and_nan_are_422_on_every_database(cast, api_as, change):
    response = api_as(cast.fran).post("/cases", open_body(**change))
    assert response.status_code == 422, response.content
    assert not Case.objects.exists()


def test_a_nul_character_in_a_search_is_422(cast, api_as):
    response = api_as(cast.fran).get("/cases", q="RD\x00")
    assert response.status_code == 422
