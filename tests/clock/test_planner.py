"""On SQLite the worker keeps planner statistics fresh, so the sweeps stay on their indexes."""

from datetime import date, timedelta

import pytest
from django.db import connection

from relaydesk.clock import planner
from relaydesk.clock.planner import handle_planner_statistics
from relaydesk.clock.sweep import escalation_due, handle_one_escalation_batch
from relaydesk.clock.worker import STEPS
from relaydesk.timekeeping import now
from tests import factories
from tests.clock.helpers import MONDAY_9, put_on_rota

pytestmark = pytest.mark.sqlite  # PostgreSQL keeps its own statistics (autovacuum)


@pytest.fixture(autouse=True)
def fresh_worker():
    planner.last_refresh.clear()  # as in a worker that has just started


def statistics_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'cases_case'")
        return cursor.fetchone()[0]


def forget_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.execute("ANALYZE sqlite_schema")  # the planner rereads the (now empty) table


def test_the_worker_runs_the_statistics_step(cast):
    assert ("planner statistics", handle_planner_statistics) in STEPS


def test_statistics_are_refreshed_at_most_once_an_hour(cast, time_machine):
    time_machine.move_to(now(), tick=False)
    factories.make_case(category=cast.billing, acting=cast.fran)
    assert handle_planner_statistics() is False  # never "call me again"
    assert statistics_rows() > 0

    forget_statistics()
    time_machine.shift(timedelta(minutes=59))
    handle_planner_statistics()
    assert statistics_rows() == 0

    time_machine.shift(timedelta(minutes=1))
    handle_planner_statistics()
    assert statistics_rows() > 0


def test_with_statistics_the_escalation_claim_uses_its_partial_index(cast, time_machine):
    """Escalated cases stay open past their deadline; without statistics SQLite may walk
    them all (or sort every open case) on each sweep instead of reading the few due ones."""
    put_on_rota(cast.ed, date(2026, 11, 1), date(2026, 11, 30))
    time_machine.move_to(MONDAY_9, tick=False)
    for number in range(60):
        factories.make_case(category=cast.billing, acting=cast.fran, subject=f"Old {number}")
    time_machine.shift(timedelta(days=1))
    while handle_one_escalation_batch():
        pass
    for number in range(3):
        factories.make_case(category=cast.billing, acting=cast.fran, subject=f"New {number}")
    handle_planner_statistics()

    plan = escalation_due(now()).order_by("deadline").values_list("id", flat=True).explain()

    assert "case_escalation_due_idx" in plan
