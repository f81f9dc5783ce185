"""Lookups by solver, problem and acting person still find their partial indexes, and the
history of a time range its time index.

Those indexes hold only the rows with a value (an open case has no solver and no problem; the
system's events have no actor), so opening a case writes none of them. A lookup by `= id`
implies "IS NOT NULL", which both SQLite and PostgreSQL know, so the planner can still use
them; these tests read the plans to make sure it does.
"""

from datetime import UTC, datetime

import pytest
from django.db import connection

from relaydesk.cases.models import Case, Event, EventKind

MONTH = datetime(2026, 11, 1, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (lambda: Case.objects.filter(solved_by_id=7), "case_solved_by_idx"),
        (lambda: Case.objects.filter(problem_id=7), "case_problem_idx"),
        (lambda: Event.objects.filter(actor_id=7).order_by("at"), "event_actor_time_idx"),
        (lambda: Event.objects.filter(at__gte=MONTH, kind=EventKind.SOLVED), "event_time_idx"),
    ],
    ids=["solved_by", "problem", "actor", "kind in a month"],
)
def test_a_lookup_by_value_uses_the_partial_index(query, index):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # an empty table would be scanned sequentially
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = query().explain()

    assert index in plan
