"""The executive's scorecard: per executive, the cases received at the deadline, solved within
4 h and 24 h of receiving them, and still open at the month's end; executives and admins only."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from relaydesk.clock import actions as clock_actions
from tests import factories
from tests.insights.scripted import local, script_october

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


@pytest.fixture
def october(cast, time_machine):
    cache.clear()
    scripted = script_october(cast, time_machine)
    time_machine.move_to(NOW, tick=False)
    return scripted


def scorecard_row(html: str, name: str) -> list[str]:
    table = html.split('data-testid="scorecard"', 1)[1].split("</table>", 1)[0]
    row = table.split(f">{name}</td>", 1)[1].split("</tr>", 1)[0]
    return [cell.split(">", 1)[1] for cell in row.split("</td>")[:-1]]


def test_octobers_escalation_solved_within_four_hours(october, cast, signed_in):
    html = signed_in(cast.ed).get("/trail/2026-10/executives/").content.decode()

    # D reached its deadline 7 Oct 05:00 with Eve; Ed solved it at 08:00.
    assert scorecard_row(html, "Ed Exec") == ["1", "1", "1", "0"]


def test_a_case_escalated_late_in_the_month_and_still_open_counts_as_open(
    october, cast, signed_in, time_machine
):
    time_machine.move_to(local(30, 9), tick=False)
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    time_machine.move_to(local(31, 6), tick=False)
    assert clock_actions.escalate(case) is not None
    time_machine.move_to(NOW, tick=False)

    html = signed_in(cast.ed).get("/trail/2026-10/executives/").content.decode()

    assert scorecard_row(html, "Ed Exec") == ["2", "1", "1", "1"]


@pytest.mark.parametrize(("viewer", "status"), [("ed", 200), ("mia", 403), ("fran", 403)])
def test_only_executives_and_admins_see_the_scorecard(cast, signed_in, viewer, status):
    assert signed_in(getattr(cast, viewer)).get("/trail/2026-12/executives/").status_code == status


def test_the_scorecard_link_is_shown_to_executives_only(cast, signed_in):
    assert 'href="/trail/2026-12/executives/"' in (
        signed_in(cast.ed).get("/trail/2026-12/").content.decode()
    )
    assert 'href="/trail/2026-12/executives/"' not in (
        signed_in(cast.mia).get("/trail/2026-12/").content.decode()
    )


def test_the_scorecard_makes_a_fixed_number_of_queries(
    october, cast, signed_in, django_assert_max_num_queries
):
    client = signed_in(cast.ed)
    # Session, person, staff, executive, zone, the escalations with their solves, the top
    # tier, the names, header.
    with django_assert_max_num_queries(10):
        assert client.get("/trail/2026-10/executives/").status_code == 200
