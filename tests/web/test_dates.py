"""Dates on the staff pages: one format, the company's `locale` (Django's own formats), in
its time zone: details, deadlines, date inputs, lists and the timeline alike."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import dateformat

from relaydesk.cases import actions
from relaydesk.org.dates import date_format, moment_format, write_date, write_moment
from relaydesk.org.models import Company
from tests import factories

# Saturday 5 Dec 2026, 13:05 UTC: 14:05 in Amsterdam, the cast's company zone.
NOON_ISH = datetime(2026, 12, 5, 13, 5, tzinfo=UTC)


@pytest.fixture
def travel(cast):
    """A category with a date field; a case at NOON_ISH owned by Fran, its travel date kept."""
    category = factories.make_category(
        slug="trips",
        name="Trips",
        fields=[{"key": "travel", "label": "Travel date", "type": "date", "required": False}],
    )
    with time_machine.travel(NOON_ISH, tick=False):
        case = factories.make_case(
            category=category, acting=cast.fran, details={"travel": "2026-12-31"}
        )
    return case


def _speak(cast, locale):
    Company.objects.filter(pk=cast.company.pk).update(locale=locale)


@pytest.mark.parametrize(
    ("locale", "opened", "travel_date", "deadline"),
    [
        ("en-GB", "05/12/2026 14:05", "31/12/2026", "06/12/2026 10:05"),
        ("en-US", "12/05/2026 2:05 p.m.", "12/31/2026", "12/06/2026 10:05 a.m."),
        ("de", "05.12.2026 14:05", "31.12.2026", "06.12.2026 10:05"),
        ("fr", "05/12/2026 14:05", "31/12/2026", "06/12/2026 10:05"),
        ("nl", "5-12-2026 14:05", "31-12-2026", "6-12-2026 10:05"),
    ],
)
def test_the_case_page_writes_every_date_the_companys_way(
    signed_in, cast, travel, locale, opened, travel_date, deadline
):
    _speak(cast, locale)
    with time_machine.travel(NOON_ISH, tick=False):
        html = signed_in(cast.fran).get(f"/cases/{travel.ref}/").text
    assert f"{opened}</time> (just now)" in html  # opened, in Amsterdam's time
    assert f">{deadline}</time>" in html  # the deadline: opened + 20 h
    assert f"<dd>{travel_date}</dd>" in html  # the date detail, kept as ISO
    assert f'value="{travel_date}"' in html  # and its input in the details form
    assert f">{opened}</time>" in html.split('id="timeline"')[1]  # the timeline


def test_the_lists_write_deadlines_and_moments_the_same_way(signed_in, cast, travel):
    _speak(cast, "de")
    with time_machine.travel(NOON_ISH, tick=False):
        mine = signed_in(cast.fran).get("/").text
        actions.solve(travel, acting=cast.fran, resolution="Rebooked", one_off_reason="Strike")
        solved = signed_in(cast.fran).get("/?status=solved").text
        bell = signed_in(cast.mia).get("/notifications/").text
    assert '<span class="muted small">06.12.2026 10:05</span>' in mine
    assert 'title="05.12.2026 14:05">just now</time>' in mine  # last activity, on hover
    assert ">05.12.2026 14:05</time>" in solved
    assert "2026, " not in mine + solved + bell  # no other format anywhere


def test_a_date_is_typed_the_way_it_is_shown(signed_in, cast, travel):
    _speak(cast, "de")
    client = signed_in(cast.fran)
    response = client.post(f"/cases/{travel.ref}/details/", {"detail_travel": "2.1.2027"})
    assert response.status_code == 302
    travel.refresh_from_db()
    assert travel.details["travel"] == "2027-01-02"  # cases (and the API) keep ISO 8601
    assert "<dd>02.01.2027</dd>" in client.get(f"/cases/{travel.ref}/").text
    client.post(f"/cases/{travel.ref}/details/", {"detail_travel": "2027-01-03"})
    travel.refresh_from_db()
    assert travel.details["travel"] == "2027-01-03"  # ISO is understood too


def test_a_date_that_cannot_be_read_is_asked_for_the_companys_way(signed_in, cast, travel):
    _speak(cast, "en-US")
    response = signed_in(cast.fran).post(
        f"/cases/{travel.ref}/details/", {"detail_travel": "31/12/2026"}
    )
    assert response.status_code == 422
    html = response.text
    assert "Write the date like 12/31/2026." in html
    assert 'value="31/12/2026"' in html  # what was typed comes back as typed
    travel.refresh_from_db()
    assert travel.details["travel"] == "2026-12-31"


def test_intake_asks_for_dates_the_companys_way(signed_in, cast, travel):
    _speak(cast, "nl")
    html = signed_in(cast.fran).get("/intake/form/?category=trips").text
    assert 'placeholder="31-12-2026"' in html
    assert "Write the date like 31-12-2026." in html
    assert 'type="date"' not in html  # the browser's picker writes the browser's way


@pytest.mark.parametrize("locale", ["", "xx", "zz-ZZ"])
def test_no_locale_or_one_without_formats_writes_dates_as_en_gb(signed_in, cast, travel, locale):
    _speak(cast, locale)
    with time_machine.travel(NOON_ISH, tick=False):
        html = signed_in(cast.fran).get(f"/cases/{travel.ref}/").text
    assert "05/12/2026 14:05</time> (just now)" in html


def test_the_due_soon_and_quarantine_pages_use_the_same_format(signed_in, cast, travel):
    _speak(cast, "de")
    with time_machine.travel(datetime(2026, 12, 6, 7, 0, tzinfo=UTC), tick=False):
        html = signed_in(cast.mia).get("/due-soon/").text
    assert ">06.12.2026 10:05</time>" in html


LOCALES = ["en-gb", "en-us", "en-au", "de", "de-ch", "fr", "nl", "pt-br", "es", "it", "sv", "ja"]
MOMENTS = [
    datetime(2026, 1, 1, 0, 0, tzinfo=UTC),  # midnight
    datetime(2026, 12, 5, 12, 0, tzinfo=UTC),  # noon
    datetime(2026, 3, 9, 9, 5, 7, tzinfo=UTC),
    datetime(2026, 10, 25, 23, 59, 59, tzinfo=UTC),
    datetime(987, 7, 4, 13, 30, tzinfo=UTC),  # a year of fewer than four digits
]


@pytest.mark.parametrize("language", LOCALES)
def test_dates_are_written_exactly_as_djangos_own_formatter_writes_them(language):
    for moment in MOMENTS:
        assert write_moment(moment, language) == dateformat.format(moment, moment_format(language))
        day = moment.date()
        assert write_date(day, language) == dateformat.format(day, date_format(language))
