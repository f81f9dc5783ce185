"""The trail's queries read their indexes, not every case, event or spell."""

from datetime import UTC, datetime

import pytest

from relaydesk.cases.models import Case, Event, EventKind, Spell
from relaydesk.insights import counts, waiting
from relaydesk.insights.months import parse_month
from relaydesk.insights.spells import spanning_start
from tests.plans import as_planned_live

pytestmark = pytest.mark.django_db


def test_the_spells_held_at_a_months_start_come_from_their_own_indexes():
    """The open spells, and those ended since the start: not every spell begun before the
    month (the whole history before it, spell_start_idx)."""
    still, ended = spanning_start(parse_month("2026-11", "Europe/Amsterdam"))
    as_planned_live(Spell)

    still_plan = still.values("holder", "case").explain()
    ended_plan = ended.values("holder", "case").explain()
    assert "spell_open_idx" in still_plan
    assert "spell_end_idx" in ended_plan
    assert "spell_start_idx" not in still_plan + ended_plan


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


@pytest.mark.sqlite  # PostgreSQL picks among indexes of an empty table its own way (bench.trail)
def test_the_months_solve_times_come_from_the_solves_spells():
    """The median reads the spells solves ended (cases 0019)."""
    _no_seqscan()
    times = counts.solve_times(NOVEMBER).order_by("solve_time").values("solve_time")

    assert "spell_solve_time_idx" in times.explain()


@pytest.mark.sqlite  # PostgreSQL picks among indexes of an empty table its own way (bench.trail)
def test_the_months_top_problems_come_from_the_solves_spells():
    """The top problems read the spells solves ended (cases 0019)."""
    problems = counts.problems_linked(NOVEMBER).order_by("-cases", "solve_problem")

    assert "spell_solve_problem_idx" in problems.explain()
