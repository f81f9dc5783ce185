"""The due-soon page: leads see open cases due within 4 hours, grouped by owner."""

from datetime import timedelta

import pytest

from relaydesk.cases import actions
from tests import factories
from tests.clock.helpers import MONDAY_9, hours


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    return time_machine


def open_at(monday, cast, moment, *, owner, subject):
    monday.move_to(moment, tick=False)
    return factories.make_case(category=cast.billing, acting=owner, subject=subject)


def test_a_lead_sees_cases_due_within_four_hours_by_owner(client, cast, monday):
    # Deadlines: 20 h after opening. Seen from MONDAY_9 + 20 h:
    overdue = open_at(monday, cast, MONDAY_9 - hours(1), owner=cast.fran, subject="Overdue one")
    soon = open_at(monday, cast, MONDAY_9 + hours(3), owner=cast.fran, subject="Due in three")
    sams = open_at(monday, cast, MONDAY_9 + hours(1), owner=cast.sam, subject="Sam's case")
    later = open_at(monday, cast, MONDAY_9 + hours(5), owner=cast.sam, subject="Due in five")
    solved = open_at(monday, cast, MONDAY_9, owner=cast.fran, subject="Solved one")
    actions.solve(solved, acting=cast.fran, resolution="Done", one_off_reason="One-off")
    monday.move_to(MONDAY_9 + hours(20), tick=False)
    client.force_login(cast.mia)
    response = client.get("/due-soon/")
    assert response.status_code == 200
    page = response.content.decode()
    for case in (overdue, soon, sams):
        assert case.ref in page
    assert later.ref not in page
    assert solved.ref not in page
    # Fran's group (the most pressed owner) comes first, her overdue case at its top.
    assert page.index("Fran Okafor") < page.index("Sam Special")
    assert page.index(overdue.ref) < page.index(soon.ref) < page.index(sams.ref)
    assert "overdue by 1 h 00 min" in page
    assert "3 h 00 min left" in page


def test_deadlines_are_shown_in_the_company_time_zone(client, cast, monday):
    factories.make_case(category=cast.billing, acting=cast.fran)
    monday.shift(hours(17))
    client.force_login(cast.mia)
    page = client.get("/due-soon/").content.decode()
    assert "24/11/2026 05:00" in page  # 09:00 Amsterdam + 20 h, in en-GB


def test_someone_who_leads_nobody_is_refused_with_a_reason(client, cast, monday):
    client.force_login(cast.fran)
    response = client.get("/due-soon/")
    assert response.status_code == 403
    assert "for leads" in response.content.decode()


def test_signing_in_is_required(client, cast):
    response = client.get("/due-soon/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_executive_sees_the_page(client, cast, monday):
    client.force_login(cast.ed)
    response = client.get("/due-soon/")
    assert response.status_code == 200
    assert "Nothing is due in the next 4 hours." in response.content.decode()


def test_the_page_costs_the_same_queries_for_many_cases(
    client, cast, monday, django_assert_max_num_queries
):
    client.force_login(cast.mia)
    for n in range(30):
        owner = (cast.fran, cast.fiona, cast.sam)[n % 3]
        open_at(monday, cast, MONDAY_9 + timedelta(minutes=n), owner=owner, subject=f"Case {n}")
    monday.move_to(MONDAY_9 + hours(18), tick=False)
    with django_assert_max_num_queries(12):
        response = client.get("/due-soon/")
    assert response.content.decode().count('id="due-RD-') == 30
