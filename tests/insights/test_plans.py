"""The trail's look at the cases open when a month starts reads an index, not every case."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from relaydesk.cases.models import Event, EventKind
from relaydesk.insights.months import parse_month
from relaydesk.insights.spells import ended_unsolved_since, maybe_open_at_start

pytestmark = pytest.mark.django_db


def test_the_cases_solved_since_a_months_start_come_from_their_index():
    _, solved_since = maybe_open_at_start(parse_month("2026-11", "Europe/Amsterdam"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # an empty table would be scanned sequentially
            cursor.execute("SET LOCAL enable_seqscan = off")

    assert "case_solved_time_idx" in solved_since.values("pk").explain()


def test_a_persons_missed_deadlines_come_from_the_escalations_index(cast):
    """The career page's twelve months of escalations away from one person (insights.career)."""
    escalations = Event.objects.filter(
        kind=EventKind.ESCALATED,
        from_owner=cast.fran,
        at__gte=datetime(2025, 12, 1, tzinfo=UTC),
        at__lt=datetime(2026, 12, 8, tzinfo=UTC),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")

    assert "event_escalated_from_idx" in escalations.values("data").explain()


@pytest.mark.sqlite  # PostgreSQL plans a join of empty tables its own way (measured instead)
def test_the_dismissed_and_merged_held_at_a_months_start_come_from_their_own_spells():
    """Not from every spell begun before the month (the whole history before it)."""
    ended = ended_unsolved_since(parse_month("2026-11", "Europe/Amsterdam"))

    plan = ended.values("pk").explain()
    assert "spell_case_start_idx" in plan
    assert "spell_start_idx" not in plan
