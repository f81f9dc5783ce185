"""Routing (relaydesk.cases.routing) across tiers, skills, inactive people and realtime handlers."""

from relaydesk.cases import actions
from tests.factories import make_case, make_category


def _email_case(cast, **kwargs):
    return make_case(category=cast.billing, channel="email", **kwargs)


def _off_duty(*users):
    for user in users:
        user.staff.on_duty = False
        user.staff.save()


def test_intake_goes_up_to_the_lowest_tier_with_someone_qualified(cast):
    trains = make_category(slug="trains", name="Trains")
    cast.fran.staff.skills.set([trains])  # skills for another category only
    cast.fiona.is_active = False  # a staff row whose login is switched off
    cast.fiona.save()

    assert _email_case(cast).owner == cast.sam

    _off_duty(cast.sam)
    assert _email_case(cast).owner == cast.eve

    cast.eve.staff.skills.set([trains, cast.billing])  # covers billing among others
    _off_duty(cast.eve)
    cast.mia.staff.active = False
    cast.mia.staff.save()
    assert _email_case(cast).owner == cast.ed


def test_a_realtime_case_goes_to_the_handlers_of_the_lowest_tier_that_has_any(cast):
    trains = make_category(slug="trains", name="Trains")
    for user in (cast.sam, cast.eve, cast.mia, cast.ed):
        user.staff.realtime_handler = True
        user.staff.save()
    _off_duty(cast.sam)
    cast.eve.staff.skills.set([trains])

    case = _email_case(cast, realtime_triggers=["travel_today"])

    assert case.owner == cast.mia  # not frontline (no handler), not sam (off duty) nor eve
    assert _email_case(cast).owner == cast.fran  # an ordinary case still starts at frontline


def test_the_load_is_open_cases_only_and_a_tie_goes_to_the_earlier_staff_row(cast):
    assert cast.fran.staff.pk < cast.fiona.staff.pk
    first = _email_case(cast)
    assert first.owner == cast.fran  # a tie at zero
    assert _email_case(cast).owner == cast.fiona
    actions.solve(first, acting=cast.fran, resolution="Refunded.", one_off_reason="One-off.")

    assert _email_case(cast).owner == cast.fran  # fran: 0 open (1 solved), fiona: 1 open
    assert _email_case(cast).owner == cast.fran  # 1 open each: the tie goes to fran again
