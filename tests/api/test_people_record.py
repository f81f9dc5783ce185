"""GET /api/v1/people/{username}/record: a person's career record (rule 9), for the person,
their leads up the line, executives and admins."""

from datetime import UTC, datetime

import pytest
import time_machine

from relaydesk.cases import actions
from tests.factories import make_case

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


@pytest.fixture
def solved_by_fran(cast):
    with time_machine.travel(NOW, tick=False):
        case = make_case(category=cast.billing, acting=cast.fran)
        actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")
    return case


def test_the_person_reads_their_own_record_month_by_month(cast, api_as, solved_by_fran):
    with time_machine.travel(NOW, tick=False):
        answered = api_as(cast.fran).get("/people/fran/record")

    assert answered.status_code == 200, answered.json()
    record = answered.json()
    assert (record["username"], record["tier"]) == ("fran", cast.fran.staff.tier.slug)
    assert [month["month"] for month in record["months"]][-2:] == ["2026-11", "2026-12"]
    assert len(record["months"]) == 12
    assert record["months"][-1] | {"pass_rate": None} == {
        "month": "2026-12",
        "solved": 1,
        "passed": 0,
        "pass_rate": None,
        "delighted": 0,
        "deadlines_missed": 0,
    }
    assert record["months"][-1]["pass_rate"] == 0.0


@pytest.mark.parametrize(("reader", "status"), [("mia", 200), ("ed", 200), ("sam", 403)])
def test_leads_and_executives_may_read_it_a_colleague_may_not(cast, api_as, reader, status):
    with time_machine.travel(NOW, tick=False):
        answered = api_as(getattr(cast, reader)).get("/people/fran/record")

    assert answered.status_code == status, answered.json()
    if status == 403:
        assert "for the person, their leads and executives" in answered.json()["detail"]


def test_an_unknown_person_is_404(cast, api_as):
    answered = api_as(cast.fran).get("/people/nobody/record")

    assert answered.status_code == 404
    assert answered.json() == {"detail": "There is no one called nobody here."}
