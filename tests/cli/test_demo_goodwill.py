"""The demo's goodwill (rule 13): most gestures small and given at once, a few approved by a
higher tier, one declined; each with its events on the case."""

import pytest
from django.db.models import Count, F

from relaydesk.cases.models import Event, EventKind
from relaydesk.goodwill.models import Gesture, State
from relaydesk.setup.demo import build_demo

pytestmark = pytest.mark.django_db


def test_the_demo_gives_goodwill_mostly_at_once_a_few_approved_one_declined():
    build_demo(cases=240, seed=7)  # about twenty gestures: few enough stories make "most" luck

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
