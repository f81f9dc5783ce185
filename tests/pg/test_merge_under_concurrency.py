"""Merges at the same moment (PostgreSQL row locks): two cases merged into each other at once
end as one kept case and one merged, never both merged; the locks are taken in id order, so
the crossing merges wait for each other instead of deadlocking."""

import pytest
from django.contrib.auth.models import User

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Case, EventKind, Status
from tests.factories import make_case, make_customer
from tests.pg.test_single_owner_under_concurrency import run_together

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]


def merger(duplicate_pk, kept_pk, user_pk):
    def job():
        acting = User.objects.select_related("staff__tier").get(pk=user_pk)
        return actions.merge_cases(
            Case.objects.get(pk=duplicate_pk), into=Case.objects.get(pk=kept_pk), acting=acting
        )

    return job


def test_two_cases_merged_into_each_other_at_once_leave_one_kept(cast):
    carla = make_customer()
    first = make_case(category=cast.billing, acting=cast.fran, customer=carla)
    second = make_case(category=cast.billing, acting=cast.fran, customer=carla)

    outcomes = run_together(
        [merger(first.pk, second.pk, cast.fran.pk), merger(second.pk, first.pk, cast.mia.pk)]
    )

    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], DomainError)
    statuses = sorted(Case.objects.values_list("status", flat=True))
    assert statuses == sorted([Status.OPEN, Status.MERGED])
    merged = Case.objects.get(status=Status.MERGED)
    assert merged.events.filter(kind=EventKind.MERGED_INTO).count() == 1
    assert (
        Case.objects.get(status=Status.OPEN).events.filter(kind=EventKind.MERGED_FROM).count() == 1
    )


def test_eight_duplicates_merged_into_one_case_at_once_all_arrive(cast):
    carla = make_customer()
    kept = make_case(category=cast.billing, acting=cast.fran, customer=carla)
    duplicates = [
        make_case(category=cast.billing, acting=cast.fran, customer=carla) for _ in range(8)
    ]

    outcomes = run_together([merger(d.pk, kept.pk, cast.fran.pk) for d in duplicates])

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert kept.events.filter(kind=EventKind.MERGED_FROM).count() == 8
    assert set(Case.objects.filter(merged_into=kept).values_list("pk", flat=True)) == {
        d.pk for d in duplicates
    }
