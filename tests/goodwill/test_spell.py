"""Rule 9: goodwill given is the owner's act in the spell, so a pass after it is not bare."""

from datetime import UTC, datetime, timedelta

import time_machine

from relaydesk.cases import actions
from relaydesk.goodwill.actions import give_goodwill
from relaydesk.insights.months import Month
from relaydesk.insights.spells import bare_passes
from tests.factories import make_case

NOV_TENTH = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


def _pass_up(cast, case):
    actions.pass_case(
        case, acting=cast.fran, reason="needs_authority", note="Over to you.", to_user=cast.sam
    )


def test_a_pass_after_a_gesture_is_not_bare_and_one_without_is(limits):
    with time_machine.travel(NOV_TENTH, tick=False):
        generous = make_case(category=limits.billing, acting=limits.fran)
        bare = make_case(category=limits.billing, acting=limits.fran)
    with time_machine.travel(NOV_TENTH + timedelta(hours=1), tick=False):
        give_goodwill(generous, acting=limits.fran, kind="gift", value=10, note="Flowers.")
    with time_machine.travel(NOV_TENTH + timedelta(hours=2), tick=False):
        _pass_up(limits, generous)
        _pass_up(limits, bare)

    assert bare_passes(Month(2026, 11, "Europe/Amsterdam")) == {limits.fran.pk: 1}


def test_a_gesture_that_waits_for_approval_is_the_owners_act_too(limits):
    with time_machine.travel(NOV_TENTH, tick=False):
        case = make_case(category=limits.billing, acting=limits.fran)
        give_goodwill(case, acting=limits.fran, kind="refund", value=200, note="Refund.")
        _pass_up(limits, case)

    assert bare_passes(Month(2026, 11, "Europe/Amsterdam")) == {}
