"""leave: a person who leaves first has every open case passed on by routing (an event each,
the new owners told), then is made inactive; their record stays in the trail."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import User

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError
from relaydesk.cases.leaving import leave
from relaydesk.cases.models import Case, EventKind, Status
from relaydesk.insights.months import parse_month
from relaydesk.insights.person_month import spells_of
from relaydesk.insights.trail import compute_trail
from relaydesk.org.models import Staff
from tests.cases.written import deactivated, nothing_written
from tests.factories import make_case, make_staff

MID_NOVEMBER = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


@pytest.fixture
def admin(db) -> User:
    return User.objects.create_superuser("root", "root@acme.example", "pw")


def make_staff_at(cast, tier: str, username: str) -> Staff:
    return make_staff(username, cast.tiers[tier], name=f"{username.title()} Second")


def off_duty(*users: User) -> None:
    Staff.objects.filter(user__in=users).update(on_duty=False)


def test_each_open_case_of_a_leaver_is_passed_on_with_an_event_and_the_new_owner_told(cast, admin):
    cases = [make_case(category=cast.billing, acting=cast.fran) for _ in range(3)]

    handed_on = leave(cast.fran.staff, acting=admin)

    assert len(handed_on) == 3
    for case in cases:
        case.refresh_from_db()
        assert (case.status, case.owner, case.tier) == ("open", cast.fiona, cast.tiers["frontline"])
        event = case.events.get(kind=EventKind.PASSED)
        assert (event.actor, event.from_owner, event.to_owner) == (None, cast.fran, cast.fiona)
        assert event.reason == "shift_change"
        assert event.data == {"direction": "same", "left": "fran", "by": "root"}
        assert event.body == f"Fran Okafor has left; {case.ref} passes to Fiona Front (Frontline)."
    told = sorted(cast.fiona.notifications.values_list("text", flat=True))
    assert told == sorted(f"Fran Okafor has left: {case.ref} is yours now" for case in cases)
    assert all(line.mail_pending for line in cast.fiona.notifications.all())


def test_the_leaver_is_inactive_and_owns_nothing_open(cast, admin):
    for _ in range(3):
        make_case(category=cast.billing, acting=cast.fran)

    leave(cast.fran.staff, acting=admin)

    fran = Staff.objects.select_related("user").get(user=cast.fran)
    assert (fran.active, fran.on_duty, fran.user.is_active) == (False, False, False)
    assert not Case.objects.filter(owner=cast.fran, status=Status.OPEN).exists()
    assert not Case.objects.filter(status=Status.OPEN, owner__isnull=True).exists()


def test_a_solved_case_stays_the_leavers_solve(cast, admin):
    solved = make_case(category=cast.billing, acting=cast.fran)
    actions.solve(solved, acting=cast.fran, resolution="Refunded.", one_off_reason="A glitch.")

    assert leave(cast.fran.staff, acting=admin) == []

    solved.refresh_from_db()
    assert (solved.status, solved.solved_by) == ("solved", cast.fran)


def test_with_nobody_else_on_duty_at_their_tier_the_cases_go_up_the_pyramid(cast, admin):
    case = make_case(category=cast.billing, acting=cast.fran)
    off_duty(cast.fiona)

    leave(cast.fran.staff, acting=admin)

    case.refresh_from_db()
    assert (case.owner, case.tier) == (cast.sam, cast.tiers["specialist"])
    event = case.events.get(kind=EventKind.PASSED)
    assert event.data["direction"] == "up"
    assert cast.sam.notifications.get().text == f"Fran Okafor has left: {case.ref} is yours now"


def test_up_the_pyramid_skips_a_tier_with_nobody_on_duty(cast, admin):
    case = make_case(category=cast.billing, acting=cast.fran)
    off_duty(cast.fiona, cast.sam)

    leave(cast.fran.staff, acting=admin)

    case.refresh_from_db()
    assert (case.owner, case.tier) == (cast.eve, cast.tiers["expert"])


def test_the_least_loaded_at_the_tier_gets_the_case_as_a_pass_to_the_tier_would(cast, admin):
    mine = make_case(category=cast.billing, acting=cast.fran)
    off_duty(cast.fiona)
    actions.pass_case(
        make_case(category=cast.billing, acting=cast.fran),
        acting=cast.fran,
        reason="needs_expertise",
        note="Invoice attached.",
        to_user=cast.sam,
    )
    other = make_staff_at(cast, "specialist", "sid")

    leave(cast.fran.staff, acting=admin)

    mine.refresh_from_db()
    assert mine.owner == other.user  # sam already holds one


def test_when_nobody_at_the_tier_or_above_is_on_duty_nothing_changes(cast, admin):
    case = make_case(category=cast.billing, acting=cast.eve)
    off_duty(cast.mia, cast.ed)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        leave(cast.eve.staff, acting=admin)

    assert refused.value.message == (
        f"Nobody at Expert or above is on duty with the skills for Billing, so {case.ref} "
        "cannot pass on from Eve Expert. Put someone on duty, then let them go again."
    )
    eve = Staff.objects.get(user=cast.eve)
    assert eve.active and eve.user.is_active


def test_a_case_waiting_for_the_customer_keeps_waiting_with_its_new_owner(cast, admin):
    case = make_case(category=cast.billing, acting=cast.fran)
    actions.reply(case, acting=cast.fran, body="Which day did you travel?", waiting=True)
    case.refresh_from_db()
    waiting = (case.waiting_since, case.waiting_time_left, case.next_tickle_at, case.deadline)

    leave(cast.fran.staff, acting=admin)

    case.refresh_from_db()
    assert case.owner == cast.fiona
    assert (
        case.waiting_since,
        case.waiting_time_left,
        case.next_tickle_at,
        case.deadline,
    ) == waiting
    assert not case.events.filter(kind=EventKind.RESUMED).exists()


def test_only_an_admin_lets_someone_go(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        leave(cast.fran.staff, acting=cast.mia)  # fran's lead, not an admin

    assert refused.value.message == "Only an admin may let go Fran Okafor, not Mia Manager."
    assert Staff.objects.get(user=cast.fran).active


def test_an_admin_cannot_let_themselves_go(cast, admin):
    staff = make_staff_at(cast, "manager", "boss")
    User.objects.filter(pk=staff.user_id).update(is_superuser=True)
    boss = User.objects.get(pk=staff.user_id)

    with pytest.raises(DomainError, match="cannot let themselves go"):
        leave(boss.staff, acting=boss)


def test_the_company_file_lets_go_as_the_system(cast):
    make_case(category=cast.billing, acting=cast.fran)

    [event] = leave(cast.fran.staff, acting=None)

    assert (event.actor, event.data["by"]) == (None, None)


def test_someone_switched_off_some_other_way_still_has_their_cases_passed_on(cast, admin):
    case = make_case(category=cast.billing, acting=cast.fran)
    User.objects.filter(pk=cast.fran.pk).update(is_active=False)
    gone = deactivated(cast.fran)

    leave(gone.staff, acting=admin)

    case.refresh_from_db()
    assert case.owner == cast.fiona


def test_the_leavers_past_spells_stay_in_the_trail(cast, admin):
    with time_machine.travel(MID_NOVEMBER, tick=False):
        solved = make_case(category=cast.billing, acting=cast.fran)
        actions.solve(solved, acting=cast.fran, resolution="Refunded.", one_off_reason="Glitch.")
        held = [make_case(category=cast.billing, acting=cast.fran) for _ in range(2)]
        leave(cast.fran.staff, acting=admin)

    trail = compute_trail(parse_month("2026-11", cast.company.time_zone))

    people = {person.username: person for person in trail.people}
    fran, fiona = people["fran"], people["fiona"]
    assert (fran.active, fran.touched, fran.solved, fran.passed, fran.bare_passes) == (
        False,
        3,
        1,
        0,  # handing on is the system's, not a pass of theirs
        0,
    )
    assert (fiona.touched, fiona.passed) == (len(held), 0)
    assert all(person.passed == 0 for person in trail.people)


def test_their_month_shows_the_cases_handed_on_as_they_left_not_as_passes(cast, admin):
    with time_machine.travel(MID_NOVEMBER, tick=False):
        case = make_case(category=cast.billing, acting=cast.fran)
        leave(cast.fran.staff, acting=admin)

    [spell] = spells_of(cast.fran, parse_month("2026-11", cast.company.time_zone))

    assert (spell.ref, spell.ended) == (case.ref, "handed on when they left")
