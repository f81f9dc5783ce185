"""The deadline countdown and the "ago" times every staff list shows on each row."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.template import Context, Template
from django.utils import timezone

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _render(source: str, **context) -> str:
    """Rendered at NOW, for a company in New York (times are shown in its zone)."""
    with time_machine.travel(NOW, tick=False), timezone.override(ZoneInfo("America/New_York")):
        return Template("{% load relaydesk_web %}" + source).render(Context(context))


def test_a_deadline_far_off_counts_down_uncoloured():
    html = _render("{% countdown deadline %}", deadline=NOW + timedelta(hours=18, minutes=5))
    assert html == (
        '<span class="" data-countdown="2026-11-24T01:05:00-05:00">18 h 05 min left</span>'
    )


def test_a_deadline_within_four_hours_is_due_soon():
    html = _render("{% countdown deadline %}", deadline=NOW + timedelta(hours=4))
    assert 'class="soon"' in html
    assert ">4 h left<" in html


def test_a_passed_deadline_is_overdue_and_keeps_its_extra_class():
    html = _render('{% countdown deadline "countdown" %}', deadline=NOW - timedelta(minutes=25))
    assert 'class="countdown overdue"' in html
    assert ">25 min overdue<" in html


def test_no_deadline_or_moment_shows_nothing():
    assert _render("{% countdown deadline %}{% moment_ago moment %}", deadline=None) == ""
    assert _render("{% countdown missing %}{% moment_ago missing %}") == ""


def test_a_moment_shows_how_long_ago_with_its_exact_time_on_hover():
    html = _render("{% moment_ago moment %}", moment=NOW - timedelta(hours=2))
    assert html == (
        '<time datetime="2026-11-23T05:00:00-05:00" title="23/11/2026 05:00">2 h ago</time>'
    )
