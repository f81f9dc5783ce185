"""The 240-case demo's history (one build, shared by this module's tests, which only read it):
its goodwill (rule 13): most gestures small and given at once, a few approved by a higher tier,
one declined, each with its events on the case; and its trail: its buck passer stands out on the
buck list of the last full month, bare passes listed, and a promotion halfway shows two tiers.

Built until a fixed moment, so every run (and every day) reads the same history."""

from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.db.models import Count, F

from relaydesk.cases.models import Event, EventKind
from relaydesk.goodwill.models import Gesture, State
from relaydesk.insights.buck import SPELLS_AT_LEAST, buck_list
from relaydesk.insights.months import parse_month
from relaydesk.insights.trail import as_report, compute_trail
from relaydesk.org.models import TierHistory
from relaydesk.setup.demo import build_demo
from relaydesk.setup.demo_trail import PASSER, PROMOTED, PROMOTED_TO

pytestmark = pytest.mark.django_db

UNTIL = datetime(2026, 12, 5, 12, tzinfo=UTC)  # the last full month is November


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """Built once in a transaction rolled back after the module's last test; each test runs in
    its own savepoint inside it. 240 cases give about twenty gestures: few enough stories make
    "most" luck."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(cases=240, seed=7, until=UNTIL)
        transaction.set_rollback(True)


def test_the_demo_gives_goodwill_mostly_at_once_a_few_approved_one_declined():
    at_once = Gesture.objects.filter(state=State.GIVEN, decided_by=F("given_by")).count()
    approved = Gesture.objects.filter(state=State.GIVEN).exclude(decided_by=F("given_by"))
    declined = Gesture.objects.filter(state=State.DECLINED)

    assert at_once > approved.count() >= 1, (at_once, approved.count())  # most at once
    assert declined.count() == 1
    assert declined.get().why_declined
    steps = Event.objects.filter(kind=EventKind.GOODWILL).values("data__step")
    counted = {row["data__step"]: row["n"] for row in steps.annotate(n=Count("id"))}
    assert counted["declined"] == 1
    assert counted["approved"] == approved.count()
    assert counted["given"] == at_once


def test_the_demo_has_a_buck_passer_and_a_promotion():
    month = parse_month("2026-11", "Europe/Amsterdam")
    flagged = buck_list(month, as_report(compute_trail(month)))

    passer = [f for f in flagged if f.person["username"] == PASSER]
    assert passer, [f.person["username"] for f in flagged]
    assert passer[0].spells >= SPELLS_AT_LEAST
    assert passer[0].bare, "their bare passes are listed"
    assert all(one.note for one in passer[0].bare)

    lines = TierHistory.objects.filter(staff__user__username=PROMOTED).order_by("since")
    assert [line.tier.slug for line in lines] == ["specialist", PROMOTED_TO]
    assert lines[0].since < lines[1].since < UNTIL
