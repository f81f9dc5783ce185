"""GET /api/v1/reports/{YYYY-MM}: the trail for leads, executives and admins only."""

from datetime import UTC, datetime

import pytest

from relaydesk.insights.months import parse_month
from relaydesk.insights.trail import as_report, compute_trail
from tests.insights.scripted import script_october


@pytest.fixture
def october(cast, time_machine):
    scripted = script_october(cast, time_machine)
    time_machine.move_to(datetime(2026, 12, 5, 12, tzinfo=UTC), tick=False)
    return scripted


def test_a_lead_reads_the_months_trail_in_the_contracts_shape(cast, api_as, october):
    response = api_as(cast.mia).get("/reports/2026-10")

    assert response.status_code == 200
    body = response.json()
    assert body == as_report(compute_trail(parse_month("2026-10", "Europe/Amsterdam")))
    assert set(body) == {"month", "time_zone", "start", "end", "people", "tiers", "overall"}
    fran = next(p for p in body["people"] if p["username"] == "fran")
    assert fran["passed"] == {"up": 3, "same": 1, "down": 0, "total": 4}
    assert fran["goodwill"] == {"count": 0, "value": "0.00"}
    assert body["overall"]["top_problems"][0]["cases"] == 2


def test_an_executive_may_read_it_too(cast, api_as, october):
    assert api_as(cast.ed).get("/reports/2026-10").status_code == 200


def test_an_admin_who_leads_nobody_may_read_it(cast, api_as, october):
    cast.eve.is_superuser = True
    cast.eve.save()
    assert api_as(cast.eve).get("/reports/2026-10").status_code == 200


@pytest.mark.parametrize("who", ["fran", "sam", "eve"])
def test_frontline_and_people_who_lead_nobody_are_refused(cast, api_as, october, who):
    response = api_as(getattr(cast, who)).get("/reports/2026-10")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only leads, executives and admins may see this."}


def test_without_a_token_it_is_401(cast, october):
    from django.test import Client

    assert Client().get("/api/v1/reports/2026-10").status_code == 401


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "26-10", "october", "2026-1", "0000-05"])
def test_what_is_not_a_month_is_422_with_a_sentence(cast, api_as, month):
    response = api_as(cast.mia).get(f"/reports/{month}")

    assert response.status_code == 422
    assert "not a month" in response.json()["detail"]


def test_a_month_that_has_not_begun_is_404(cast, api_as, time_machine):
    time_machine.move_to(datetime(2026, 12, 5, 12, tzinfo=UTC), tick=False)

    response = api_as(cast.mia).get("/reports/2027-01")

    assert response.status_code == 404
    assert response.json() == {"detail": "2027-01 has not begun yet, so it has no trail."}
    assert api_as(cast.mia).get("/reports/2026-12").status_code == 200  # the month so far


def test_the_trail_takes_a_fixed_number_of_queries(
    cast, api_as, october, django_assert_max_num_queries
):
    api = api_as(cast.mia)
    with django_assert_max_num_queries(24):
        assert api.get("/reports/2026-10").status_code == 200
