"""The demo's history gives the trail something true: its buck passer stands out on the buck
list of the last full month, bare passes listed, and a promotion halfway shows two tiers."""

from datetime import UTC, datetime

import pytest

from relaydesk.insights.buck import SPELLS_AT_LEAST, buck_list
from relaydesk.insights.months import parse_month
from relaydesk.insights.trail import as_report, compute_trail
from relaydesk.org.models import TierHistory
from relaydesk.setup.demo import build_demo
from relaydesk.setup.demo_trail import PASSER, PROMOTED, PROMOTED_TO

pytestmark = pytest.mark.django_db

UNTIL = datetime(2026, 12, 5, 12, tzinfo=UTC)  # the last full month is November


def test_the_demo_has_a_buck_passer_and_a_promotion():
    build_demo(cases=240, seed=7, until=UNTIL)

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
