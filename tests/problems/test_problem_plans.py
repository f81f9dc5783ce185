"""The problems page's ranking and trend read each problem's range of links from the partial
index problem_event_links_idx (on SQLite from the index alone), not the event table."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from relaydesk.problems.models import Problem
from relaydesk.problems.queries import links, week_starts, with_recent_cases

MOMENT = datetime(2026, 11, 2, 9, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        lambda: with_recent_cases(Problem.objects.all(), MOMENT).order_by("-cases_30d")[:100],
        lambda: (
            links()
            .filter(problem_id__in=[1, 2, 3], at__gt=week_starts(MOMENT)[0], at__lte=MOMENT)
            .order_by()
            .values("problem_id")
        ),
    ],
    ids=["ranking", "trend"],
)
def test_the_ranking_and_the_trend_read_the_links_index(query):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # an empty table would be scanned sequentially
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = query().explain()

    assert "problem_event_links_idx" in plan
    if connection.vendor == "sqlite":
        assert "COVERING INDEX problem_event_links_idx" in plan
