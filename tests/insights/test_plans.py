"""The trail's look at the cases open when a month starts reads an index, not every case."""

from datetime import UTC, datetime

import pytest

from relaydesk.cases.models import Case, Event, EventKind, Spell
from relaydesk.insights import counts, waiting
from relaydesk.insights.months import parse_month
from relaydesk.insights.spells import ended_unsolved_since, maybe_open_at_start
from tests.plans import as_planned_live

pytestmark = pytest.mark.django_db


def test_the_cases_solved_since_a_months_start_come_from_their_index():
    _, solved_since = maybe_open_at_start(parse_month("2026-11", "Europe/Amsterdam"))
    as_planned_live(Case)

    assert "case_solved_time_idx" in solved_since.values("pk").explain()


def test_a_persons_missed_deadlines_come_from_the_escalations_index(cast):
    """The career page's twelve months of escalations away from one person (insights.career)."""
    escalations = Event.objects.filter(
        kind=EventKind.ESCALATED,
        from_owner=cast.fran,
        at__gte=datetime(2025, 12, 1, tzinfo=UTC),
        at__lt=datetime(2026, 12, 8, tzinfo=UTC),
    )
    as_planned_live(Event)

    assert "event_escalated_from_idx" in escalations.values("data").explain()


@pytest.mark.sqlite  # PostgreSQL plans a join of empty tables its own way (measured instead)
def test_the_dismissed_and_merged_held_at_a_months_start_come_from_their_own_spells():
    """Not from every spell begun before the month (the whole history before it)."""
    ended = ended_unsolved_since(parse_month("2026-11", "Europe/Amsterdam"))

    plan = ended.values("pk").explain()
    assert "spell_case_start_idx" in plan
    assert "spell_start_idx" not in plan


NOVEMBER = parse_month("2026-11", "Europe/Amsterdam")


def _no_seqscan() -> None:
    as_planned_live(Case, Event, Spell)


def test_the_months_waits_that_ended_come_from_the_resumed_index():
    """Not from every event since the month's start (insights.waiting)."""
    _no_seqscan()

    assert "event_resumed_idx" in waiting.ended_since(NOVEMBER).values("data").explain()


@pytest.mark.sqlite  # PostgreSQL plans empty tables its own way (measured: bench.trail)
def test_the_months_missed_deadlines_come_from_the_escalations_index(cast):
    """Per holder, not the month's events (insights.counts.deadlines_missed)."""
    escalations = counts.escalations_from(NOVEMBER, [cast.fran.pk, cast.sam.pk])
    _no_seqscan()

    assert "event_escalated_from_idx" in escalations.values("data").explain()


def test_the_months_solve_times_come_from_the_solves_spells():
    """The median reads the spells solves ended (cases 0019)."""
    _no_seqscan()
    times = counts.solve_times(NOVEMBER).order_by("solve_time").values("solve_time")

    assert "spell_solve_time_idx" in times.explain()


@pytest.mark.sqlite  # PostgreSQL picks among indexes of an empty table its own way (bench.trail)
def test_the_months_top_problems_come_from_the_solves_spells():
    """The top problems read the spells solves ended (cases 0019)."""
    problems = Spell.objects.filter(
        ended_at__gte=NOVEMBER.start_utc,
        ended_at__lt=NOVEMBER.end_utc,
        solve_problem__isnull=False,
    ).values("solve_problem", "case")

    assert "spell_solve_problem_idx" in problems.explain()
