"""The goodwill endpoints: 201 given, 202 waiting, approve, decline, a month's ledger for leads."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.goodwill.models import Gesture, State
from relaydesk.org.models import Company, Tier
from tests.factories import make_case

DEC_THIRD = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def limits(cast):
    for slug, limit in {"frontline": 25, "specialist": 50, "manager": 500}.items():
        Tier.objects.filter(slug=slug).update(goodwill_limit=Decimal(limit))
    Company.objects.update(goodwill_budget=Decimal(1000))
    return cast


def body(**overrides):
    return {"kind": "credit", "value": "20.00", "note": "For the wait.", **overrides}


def test_within_the_limit_it_is_given_201(limits, api_as):
    case = make_case(category=limits.billing, acting=limits.fran)

    answer = api_as(limits.fran).post(f"/cases/{case.ref}/goodwill", body())

    assert answer.status_code == 201, answer.content
    assert {k: answer.json()[k] for k in ("ref", "kind", "value", "currency", "state")} == {
        "ref": case.ref,
        "kind": "credit",
        "value": "20.00",
        "currency": "EUR",
        "state": "given",
    }


def test_above_the_limit_it_waits_202_and_is_approved_or_declined(limits, api_as):
    case = make_case(category=limits.billing, acting=limits.fran)
    asked = api_as(limits.fran).post(f"/cases/{case.ref}/goodwill", body(value=80))
    assert (asked.status_code, asked.json()["state"]) == (202, "pending")
    gesture_id = asked.json()["id"]

    too_low = api_as(limits.sam).post(f"/goodwill/{gesture_id}/approve")
    assert too_low.status_code == 409
    assert "up to 50.00 EUR" in too_low.json()["detail"]

    approved = api_as(limits.mia).post(f"/goodwill/{gesture_id}/approve")
    assert (approved.status_code, approved.json()["state"]) == (200, "given")
    assert approved.json()["decided_by"] == "mia"


def test_a_decline_needs_its_reason(limits, api_as):
    case = make_case(category=limits.billing, acting=limits.fran)
    gesture_id = (
        api_as(limits.fran).post(f"/cases/{case.ref}/goodwill", body(value=80)).json()["id"]
    )

    assert (
        api_as(limits.mia).post(f"/goodwill/{gesture_id}/decline", {"why": ""}).status_code == 422
    )
    declined = api_as(limits.mia).post(f"/goodwill/{gesture_id}/decline", {"why": "Covered."})
    assert (declined.status_code, declined.json()["why_declined"]) == (200, "Covered.")
    assert api_as(limits.mia).post("/goodwill/999999/approve").status_code == 404


@pytest.mark.parametrize("value", ["0", -3, "1.234", "lots", 1.005, None, True])
def test_a_value_that_is_not_a_positive_amount_is_422(limits, api_as, value):
    case = make_case(category=limits.billing, acting=limits.fran)

    answer = api_as(limits.fran).post(f"/cases/{case.ref}/goodwill", body(value=value))

    assert answer.status_code == 422, answer.content
    assert not Gesture.objects.exists()


def test_a_non_owner_is_refused_409(limits, api_as):
    case = make_case(category=limits.billing, acting=limits.fran)

    answer = api_as(limits.sam).post(f"/cases/{case.ref}/goodwill", body())

    assert answer.status_code == 409
    assert answer.json()["detail"].startswith("Only the owner can give goodwill")


def test_leads_read_a_months_ledger_with_what_followed(limits, api_as):
    with time_machine.travel(DEC_THIRD, tick=False):
        case = make_case(category=limits.billing, acting=limits.fran)
        api_as(limits.fran).post(f"/cases/{case.ref}/goodwill", body())
        api_as(limits.fran).post(f"/cases/{case.ref}/goodwill", body(value=300))
        case = actions.solve(case, acting=limits.fran, resolution="Done", one_off_reason="Once")
        actions.answer_survey(case, rating=5, delighted="The voucher!")

        ledger = api_as(limits.mia).get("/goodwill", month="2026-12")
        refused = api_as(limits.fran).get("/goodwill")
        current = api_as(limits.ed).get("/goodwill")

    assert ledger.status_code == 200, ledger.content
    data = ledger.json()
    assert (data["month"], data["budget"], data["given"], data["pending"], data["left"]) == (
        "2026-12",
        "1000.00",
        "20.00",
        "300.00",
        "680.00",
    )
    assert [item["followed"] for item in data["items"]] == [
        {"rating": 5, "delighted": "The voucher!"}
    ]
    assert [item["state"] for item in data["waiting"]] == [State.PENDING]
    assert refused.status_code == 403
    assert current.json()["month"] == "2026-12"
    assert api_as(limits.mia).get("/goodwill", month="2026-13").status_code == 422
