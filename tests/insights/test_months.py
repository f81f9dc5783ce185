"""A month of the trail is the company's month: local midnight to local midnight."""

from datetime import UTC, datetime, timedelta

import pytest

from relaydesk.insights.months import BadMonth, month_of, parse_month


def test_march_in_amsterdam_is_an_hour_short_and_starts_at_23_utc():
    march = parse_month("2027-03", "Europe/Amsterdam")

    assert march.start_utc == datetime(2027, 2, 28, 23, tzinfo=UTC)
    assert march.end_utc == datetime(2027, 3, 31, 22, tzinfo=UTC)
    assert march.end_utc - march.start_utc == timedelta(days=31, hours=-1)


def test_december_ends_at_the_new_years_local_midnight():
    december = parse_month("2026-12", "America/New_York")

    assert december.end_utc == datetime(2027, 1, 1, 5, tzinfo=UTC)
    assert december.holds(datetime(2027, 1, 1, 4, 59, tzinfo=UTC))
    assert not december.holds(december.end_utc)


def test_half_past_midnight_local_on_the_1st_is_the_new_month():
    moment = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 November in Amsterdam

    assert month_of(moment, "Europe/Amsterdam").label == "2026-11"
    assert month_of(moment, "UTC").label == "2026-10"


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "202610", "", "2026-10-01"])
def test_what_is_not_a_month_is_refused_with_a_sentence(text):
    with pytest.raises(BadMonth, match="is not a month"):
        parse_month(text, "UTC")
