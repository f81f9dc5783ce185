"""org.actions: joining and tier changes keep a dated tier history, the career page's source."""

import importlib
from datetime import UTC, datetime

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import User

from relaydesk.org import actions
from relaydesk.org.models import Staff, TierHistory

PROMOTION_DAY = datetime(2026, 10, 5, 8, 30, tzinfo=UTC)


@pytest.fixture
def admin(db) -> User:
    return User.objects.create_superuser("root", "root@acme.example", "pw")


def history(user: User) -> list[tuple[str, datetime]]:
    return list(
        TierHistory.objects.filter(staff__user=user)
        .order_by("since", "id")
        .values_list("tier__slug", "since")
    )


def test_a_promotion_is_dated_in_the_tier_history(cast, admin):
    with time_machine.travel(PROMOTION_DAY, tick=False):
        line = actions.change_tier(cast.fran.staff, cast.tiers["specialist"], acting=admin)

    assert (line.tier.slug, line.since) == ("specialist", PROMOTION_DAY)
    assert Staff.objects.get(user=cast.fran).tier == cast.tiers["specialist"]
    assert history(cast.fran) == [("specialist", PROMOTION_DAY)]


def test_a_tier_change_may_be_dated_by_its_caller(cast, admin):
    actions.change_tier(cast.sam.staff, cast.tiers["expert"], acting=admin, at=PROMOTION_DAY)

    assert history(cast.sam) == [("expert", PROMOTION_DAY)]


def test_the_same_tier_again_writes_nothing(cast, admin):
    assert actions.change_tier(cast.fran.staff, cast.tiers["frontline"], acting=admin) is None

    assert history(cast.fran) == []


def test_a_lead_cannot_promote_their_team(cast):
    with pytest.raises(actions.StaffChangeRefused) as refused:
        actions.change_tier(cast.fran.staff, cast.tiers["manager"], acting=cast.mia)

    assert str(refused.value) == (
        "Only an admin may change the tier of Fran Okafor, not Mia Manager."
    )
    assert Staff.objects.get(user=cast.fran).tier == cast.tiers["frontline"]
    assert history(cast.fran) == []


def test_someone_the_admin_lets_change_staff_may_promote(cast):
    from django.contrib.auth.models import Permission

    clerk = User.objects.create_user("clerk", password="pw", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="change_staff"))
    clerk = User.objects.get(pk=clerk.pk)  # permissions are cached per instance

    assert actions.change_tier(cast.fran.staff, cast.tiers["specialist"], acting=clerk)


def test_joining_writes_the_first_line_of_the_tier_history(cast, admin):
    user = User.objects.create_user("noor", password="pw")

    with time_machine.travel(PROMOTION_DAY, tick=False):
        staff = actions.join(Staff(user=user, tier=cast.tiers["specialist"]), acting=admin)

    assert staff.pk is not None
    assert history(user) == [("specialist", PROMOTION_DAY)]


def test_the_backfill_dates_a_first_line_from_joining_for_staff_without_history(cast):
    promoted_since = datetime(2026, 9, 1, tzinfo=UTC)
    TierHistory.objects.create(
        staff=cast.eve.staff, tier=cast.tiers["expert"], since=promoted_since
    )
    joined = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    User.objects.filter(pk=cast.fran.pk).update(date_joined=joined)
    migration = importlib.import_module("relaydesk.org.migrations.0009_tier_history_from_joining")

    migration.backfill(apps, None)

    assert history(cast.fran) == [("frontline", joined)]
    assert history(cast.eve) == [("expert", promoted_since)]  # had one: left alone
    assert Staff.objects.filter(tier_history__isnull=True).count() == 0
