"""Who is the executive on duty: date ranges (inclusive, company time zone), the weekly rotation."""

from datetime import UTC, date, datetime

import pytest

from relaydesk.clock.rota import executive_on_duty
from relaydesk.org.models import WeeklyRotation, WeeklyRotationSlot
from tests import factories
from tests.clock.helpers import AMSTERDAM, put_on_rota


@pytest.fixture
def zed(cast):
    return factories.make_staff("zed", cast.tiers["executive"], name="Zed Zimmer").user


def at(year, month, day, hour=12, minute=0, tz=AMSTERDAM):
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def test_a_rota_range_includes_its_first_and_last_day(cast, zed):
    put_on_rota(zed, date(2026, 11, 1), date(2026, 11, 30))
    assert executive_on_duty(at(2026, 11, 1, 0, 0)).staff.user == zed
    assert executive_on_duty(at(2026, 11, 30, 23, 59)).staff.user == zed


def test_the_day_after_a_range_ends_nobody_from_it_is_on_duty(cast, zed):
    put_on_rota(zed, date(2026, 11, 1), date(2026, 11, 30))
    on_duty = executive_on_duty(at(2026, 12, 1, 0, 0))
    assert on_duty.staff.user == cast.ed  # the first active executive
    assert on_duty.source == "fallback"
    assert "Nobody is on the executive rota for 2026-12-01" in on_duty.warning


def test_days_are_counted_in_the_company_time_zone_not_utc(cast, zed):
    put_on_rota(cast.ed, date(2026, 11, 1), date(2026, 11, 30))
    put_on_rota(zed, date(2026, 12, 1), date(2026, 12, 31))
    # 23:30 UTC on 30 November is already 00:30 on 1 December in Amsterdam.
    assert executive_on_duty(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)).staff.user == zed
    assert executive_on_duty(datetime(2026, 11, 30, 22, 59, tzinfo=UTC)).staff.user == cast.ed


def test_a_shorter_swap_inside_a_long_range_wins(cast, zed):
    put_on_rota(cast.ed, date(2026, 11, 1), date(2026, 11, 30))
    put_on_rota(zed, date(2026, 11, 10), date(2026, 11, 12))
    assert executive_on_duty(at(2026, 11, 9)).staff.user == cast.ed
    assert executive_on_duty(at(2026, 11, 10)).staff.user == zed
    assert executive_on_duty(at(2026, 11, 12)).staff.user == zed
    assert executive_on_duty(at(2026, 11, 13)).staff.user == cast.ed


def test_an_inactive_executive_on_the_rota_is_passed_over(cast, zed):
    put_on_rota(zed, date(2026, 11, 1), date(2026, 11, 30))
    zed.staff.active = False
    zed.staff.save()
    on_duty = executive_on_duty(at(2026, 11, 15))
    assert (on_duty.staff.user, on_duty.source) == (cast.ed, "fallback")


def make_rotation(starts_on, *people):
    rotation = WeeklyRotation.objects.create(starts_on=starts_on)
    for position, user in enumerate(people):
        WeeklyRotationSlot.objects.create(rotation=rotation, staff=user.staff, position=position)
    return rotation


def test_the_weekly_rotation_takes_turns_week_by_week(cast, zed):
    make_rotation(date(2026, 11, 2), zed, cast.ed)  # Mondays
    assert executive_on_duty(at(2026, 11, 2, 0, 0)).staff.user == zed
    assert executive_on_duty(at(2026, 11, 8, 23, 59)).staff.user == zed
    assert executive_on_duty(at(2026, 11, 9, 0, 0)).staff.user == cast.ed
    assert executive_on_duty(at(2026, 11, 16)).staff.user == zed
    assert executive_on_duty(at(2026, 11, 16)).source == "weekly rotation"


def test_the_weekly_rotation_has_not_started_before_its_first_day(cast, zed):
    make_rotation(date(2026, 11, 2), zed)
    assert executive_on_duty(at(2026, 11, 1)).source == "fallback"


def test_an_inactive_person_in_the_rotation_is_skipped_to_the_next(cast, zed):
    make_rotation(date(2026, 11, 2), zed, cast.ed)
    zed.staff.active = False
    zed.staff.save()
    assert executive_on_duty(at(2026, 11, 3)).staff.user == cast.ed


def test_a_date_range_wins_over_the_weekly_rotation(cast, zed):
    make_rotation(date(2026, 11, 2), zed)
    put_on_rota(cast.ed, date(2026, 11, 3), date(2026, 11, 3))
    assert executive_on_duty(at(2026, 11, 3)).staff.user == cast.ed
    assert executive_on_duty(at(2026, 11, 4)).staff.user == zed


def test_with_no_executive_at_all_nobody_is_on_duty_and_a_warning_says_so(cast):
    cast.ed.staff.active = False
    cast.ed.staff.save()
    on_duty = executive_on_duty(at(2026, 11, 3))
    assert on_duty.staff is None
    assert "no active executive" in on_duty.warning
