"""Daily counts when many actions make the same day's row at once (PostgreSQL: the second
maker waits on the unique key, fails, and adds to the first's row in its savepoint's stead)."""

import pytest

from relaydesk.cases import day_counts
from relaydesk.cases.models import DayCount
from tests.factories import make_case
from tests.pg.test_single_owner_under_concurrency import THREADS, run_together, taker

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]


def test_sixteen_takes_of_different_cases_at_once_make_one_row_counting_all(cast):
    cases = [make_case(category=cast.billing, acting=cast.fran) for _ in range(THREADS)]
    DayCount.objects.filter(person=cast.sam).delete()  # no row for the takes yet

    outcomes = run_together([taker(case.pk, cast.sam.pk) for case in cases])

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    row = DayCount.objects.get(person=cast.sam)
    assert row.taken == THREADS
    live = list(DayCount.objects.order_by("key").values_list("key", "taken", "opened"))
    day_counts.rebuild()
    assert list(DayCount.objects.order_by("key").values_list("key", "taken", "opened")) == live
