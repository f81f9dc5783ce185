"""Goodwill on the staff pages: the case page's section and timeline lines, the give form,
approve and decline, and the goodwill page for leads (its query count pinned)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.goodwill.actions import give_goodwill
from relaydesk.goodwill.models import Gesture, State
from relaydesk.org.models import Company, Tier
from tests import factories
from tests.web.conftest import HTMX

DEC_THIRD = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def limits(cast):
    for slug, limit in {"frontline": 25, "specialist": 50, "expert": 100, "manager": 500}.items():
        Tier.objects.filter(slug=slug).update(goodwill_limit=Decimal(limit))
    Company.objects.update(goodwill_budget=Decimal(1000))
    return cast


def _case(cast, who=None):
    return factories.make_case(category=cast.billing, acting=who or cast.fran)


def test_the_owner_gives_goodwill_from_the_case_page_and_sees_what_is_left(signed_in, limits):
    case = _case(limits)
    client = signed_in(limits.fran)
    with time_machine.travel(DEC_THIRD, tick=False):
        page = client.get(f"/cases/{case.ref}/").content.decode()
        assert "Left this month: 1000.00 EUR of 1000.00" in page

        answer = client.post(
            f"/cases/{case.ref}/goodwill/",
            {"goodwill-kind": "gift", "goodwill-value": "15", "goodwill-note": "Flowers."},
            headers=HTMX,
        )

    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Goodwill given." in html
    assert "Fran Okafor gave goodwill: gift, 15.00 EUR" in html  # the timeline line
    assert "Left this month: 985.00 EUR" in html


def test_a_bad_value_comes_back_as_a_field_error(signed_in, limits):
    case = _case(limits)

    answer = signed_in(limits.fran).post(
        f"/cases/{case.ref}/goodwill/",
        {"goodwill-kind": "gift", "goodwill-value": "1.999", "goodwill-note": "Flowers."},
        headers=HTMX,
    )

    assert answer.status_code == 422
    assert "A positive amount, at most two decimals." in answer.content.decode()
    assert not Gesture.objects.exists()


def test_only_the_owner_sees_the_form(signed_in, limits):
    case = _case(limits)

    html = signed_in(limits.sam).get(f"/cases/{case.ref}/").content.decode()

    assert 'data-testid="goodwill-form"' not in html


def test_a_lead_approves_from_the_case_page(signed_in, limits):
    case = _case(limits)
    gesture = give_goodwill(case, acting=limits.fran, kind="refund", value=80, note="Refund.")
    client = signed_in(limits.mia)
    assert "Approve</button>" in client.get(f"/cases/{case.ref}/").content.decode()

    html = client.post(f"/goodwill/{gesture.pk}/approve/", headers=HTMX).content.decode()

    assert "Mia Manager approved goodwill: refund, 80.00 EUR" in html
    gesture.refresh_from_db()
    assert gesture.state == State.GIVEN


def test_a_decline_from_the_goodwill_page_goes_back_there(signed_in, limits):
    case = _case(limits)
    gesture = give_goodwill(case, acting=limits.fran, kind="refund", value=80, note="Refund.")
    client = signed_in(limits.mia)

    answer = client.post(f"/goodwill/{gesture.pk}/decline/", {"why": "Covered.", "from": "page"})

    assert answer.status_code == 302
    assert answer["Location"] == "/goodwill/"
    gesture.refresh_from_db()
    assert (gesture.state, gesture.why_declined) == (State.DECLINED, "Covered.")


def test_the_goodwill_page_is_for_leads(signed_in, limits):
    assert signed_in(limits.fran).get("/goodwill/").status_code == 403


def test_the_goodwill_page_shows_the_month_with_what_followed(signed_in, limits):
    with time_machine.travel(DEC_THIRD, tick=False):
        case = _case(limits)
        give_goodwill(case, acting=limits.fran, kind="gift", value=20, note="Flowers.")
        give_goodwill(case, acting=limits.fran, kind="refund", value=300, note="Refund.")
        case = actions.solve(case, acting=limits.fran, resolution="Done", one_off_reason="Once")
        actions.answer_survey(case, rating=5, delighted="The flowers!")

        html = signed_in(limits.mia).get("/goodwill/").content.decode()

    assert "December 2026" in html
    assert "Survey: 5 of 5: “The flowers!”" in html
    assert 'data-testid="budget-left">680.00 EUR' in html
    assert "<dt>Given</dt><dd>20.00 EUR</dd>" in html
    assert "Fran Okafor: 1 gesture, 20.00 EUR" in html
    assert "Refund." in html  # waiting for approval


def test_the_goodwill_page_has_a_fixed_query_count(
    signed_in, limits, django_assert_max_num_queries
):
    Company.objects.update(goodwill_budget=Decimal(100_000))
    with time_machine.travel(DEC_THIRD, tick=False):
        for i in range(30):
            case = _case(limits, limits.fran if i % 2 else limits.fiona)
            who = case.owner
            give_goodwill(case, acting=who, kind="gift", value=10, note=f"Gift {i}")
            give_goodwill(case, acting=who, kind="refund", value=60, note=f"Waits {i}")
            if i % 3 == 0:
                case = actions.solve(case, acting=who, resolution="Done", one_off_reason="Once")
                actions.answer_survey(case, rating=4)
        client = signed_in(limits.mia)
        # the company (middleware), the session, the user, the staff row, the lead check,
        # what waits, the person's tier (who may decide), the month's gestures (with what
        # followed), the budget, the header: none of them per gesture
        with django_assert_max_num_queries(10):
            html = client.get("/goodwill/").content.decode()

    assert html.count("Gift ") == html.count("Waits ") == 30
    assert html.count("Survey: 4 of 5") == 10
