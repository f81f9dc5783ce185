"""The trail's month page: the pyramid, the weeks, the people table, the top problems, the CSV,
who may see it, its query count, and the figures kept for a closed month."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relaydesk.cases import actions
from relaydesk.insights.months import parse_month
from relaydesk.insights.spreadsheet import write_csv
from relaydesk.insights.trail import as_report, compute_trail
from tests.insights.scripted import local, script_october

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def october(cast, time_machine):
    scripted = script_october(cast, time_machine)
    time_machine.move_to(NOW, tick=False)
    return scripted


def people_in_table(html: str) -> list[str]:
    table = html.split('data-testid="trail-people"', 1)[1].split("</table>", 1)[0]
    return [
        cell.split('/">', 1)[1].split("<", 1)[0] for cell in table.split('data-label="Person">')[1:]
    ]


def test_a_lead_sees_octobers_pyramid_weeks_people_and_top_problems(october, cast, signed_in):
    page = signed_in(cast.mia).get("/trail/2026-10/")

    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Solved at each tier: Frontline 4, Specialist 5, Expert 0, Manager 0, Executive 1." in html
    )
    # D (7 Oct, after its deadline) is the one solve of the first week not before it.
    assert "1–7: 3 of 4 · 8–14: 3 of 3 · 15–21: 2 of 2 · 22–28: 1 of 1 · 29–31: 0 of 0" in html
    assert html.count('class="pygal-chart"') == 2 and "<script" not in html.split("<main", 1)[1]
    assert people_in_table(html) == [
        "Fiona Front",
        "Fran Okafor",
        "Sam Special",
        "Eve Expert",
        "Mia Manager",
        "Ed Exec",
    ]
    problems = html.split('data-testid="trail-problems"', 1)[1].split("</ol>", 1)[0]
    assert problems.index("Ticket machine double charge") < problems.index("Invoice PDF missing")
    assert "(2 cases)" in problems


def test_the_people_table_sorts_by_a_plain_link(october, cast, signed_in):
    html = signed_in(cast.mia).get("/trail/2026-10/?sort=solved").content.decode()

    assert people_in_table(html)[:3] == ["Sam Special", "Fiona Front", "Fran Okafor"]
    assert '<strong aria-current="true">Solved</strong>' in html
    by_rate = signed_in(cast.mia).get("/trail/2026-10/?sort=rate").content.decode()
    assert people_in_table(by_rate)[:2] == ["Mia Manager", "Fran Okafor"]
    assert people_in_table(by_rate)[-1] == "Eve Expert"  # no pass rate: last


def test_the_csv_download_is_the_reports_csv(october, cast, signed_in):
    response = signed_in(cast.ed).get("/trail/2026-10/trail.csv")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="trail-2026-10.csv"'
    expected = write_csv(as_report(compute_trail(parse_month("2026-10", "Europe/Amsterdam"))))
    assert response.content.decode() == expected
    assert next(csv.reader(io.StringIO(expected)))[0] == "username"


def test_frontline_may_not_see_the_trail_and_has_no_link_to_it(october, cast, signed_in):
    client = signed_in(cast.fran)

    for url in (
        "/trail/2026-10/",
        "/trail/2026-10/trail.csv",
        "/trail/2026-10/buck/",
        "/trail/2026-10/delighted/",
    ):
        assert client.get(url).status_code == 403, url
    assert 'href="/trail/"' not in client.get("/").content.decode()
    assert 'href="/trail/"' in signed_in(cast.mia).get("/").content.decode()


def test_the_month_picker_goes_to_the_month_and_refuses_what_is_not_one(october, cast, signed_in):
    client = signed_in(cast.mia)

    assert client.get("/trail/?month=2026-09").url == "/trail/2026-09/"
    assert client.get("/trail/").url == "/trail/2026-12/"
    assert client.get("/trail/2026-13/").status_code == 404
    assert client.get("/trail/next-month/").status_code == 404
    assert client.get("/trail/2027-01/").status_code == 404  # not begun
    html = client.get("/trail/2026-10/").content.decode()
    assert 'href="/trail/2026-09/"' in html and 'href="/trail/2026-11/"' in html


def test_the_month_page_makes_a_fixed_number_of_queries(
    october, cast, signed_in, django_assert_max_num_queries
):
    client = signed_in(cast.mia)
    with CaptureQueriesContext(connection) as trail:
        compute_trail(parse_month("2026-10", "Europe/Amsterdam"))
    # Computing: the trail's own fixed handful (relaydesk.insights.trail), then the session,
    # the person, the company's zone, the newest event, the weeks, the header and who may see
    # what: ten.
    with django_assert_max_num_queries(len(trail) + 10):
        assert client.get("/trail/2026-12/").status_code == 200
    with django_assert_max_num_queries(len(trail) + 10):
        assert client.get("/trail/2026-10/").status_code == 200
    # Kept: no trail, only two short looks at the newest events.
    with django_assert_max_num_queries(10):
        assert client.get("/trail/2026-10/").status_code == 200


def test_a_closed_month_is_kept_and_computed_again_when_a_later_event_touches_it(
    october, cast, signed_in, time_machine
):
    client = signed_in(cast.mia)
    first = client.get("/trail/2026-10/").context
    assert first["kept"] is False
    assert client.get("/trail/2026-10/").context["kept"] is True

    # An event of today does not touch October: still kept.
    actions.add_note(october.cases["F"], acting=cast.sam, body="Checked again.")
    assert client.get("/trail/2026-10/").context["kept"] is True

    # A survey answer written with October's clock (as a history loaded afterwards would be).
    time_machine.move_to(local(30, 12), tick=False)
    actions.answer_survey(october.cases["C"], rating=5, delighted="Quick!")
    time_machine.move_to(NOW, tick=False)
    again = client.get("/trail/2026-10/").context
    assert again["kept"] is False
    assert again["report"]["overall"]["delighted"] == 2


def test_the_current_month_is_computed_each_time(october, cast, signed_in):
    client = signed_in(cast.mia)
    client.get("/trail/2026-12/")

    assert client.get("/trail/2026-12/").context["kept"] is False


def test_the_charts_are_kept_with_the_figures_of_a_closed_month(october, cast, signed_in):
    client = signed_in(cast.mia)
    client.get("/trail/2026-10/buck/")  # keeps October's figures, with no charts drawn

    page = client.get("/trail/2026-10/")
    assert page.context["kept"] is True  # drawn on the kept figures, not computed again
    assert page.content.decode().count('class="pygal-chart"') == 2
    kept_charts = page.context["pyramid"]
    assert client.get("/trail/2026-10/").context["pyramid"] == kept_charts  # the same drawing
