"""pass_case: domain rules 2 and 3, to a named person or to a tier, and every refusal."""

import pytest
from django.contrib.auth.models import User

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import EventKind
from relaydesk.org.models import Staff
from tests.cases.written import deactivated, nothing_written
from tests.factories import make_case, make_category, make_staff


def pass_(case, acting, **target):
    return actions.pass_case(
        case, acting=acting, reason="needs_expertise", note="Customer has the invoice.", **target
    )


def test_the_owner_passes_a_case_up_to_a_named_person(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    case = pass_(case, cast.fran, to_user=cast.eve)

    assert case.owner == cast.eve
    assert case.tier == cast.tiers["expert"]
    passed = case.events.get(kind=EventKind.PASSED)
    assert (passed.actor, passed.from_owner, passed.to_owner) == (cast.fran, cast.fran, cast.eve)
    assert (passed.from_tier, passed.to_tier) == (cast.tiers["frontline"], cast.tiers["expert"])
    assert passed.reason == "needs_expertise"
    assert passed.body == "Customer has the invoice."
    assert passed.data == {"direction": "up"}


def test_the_receiver_is_told_who_passed_it_and_why(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    pass_(case, cast.fran, to_user=cast.sam)

    note = cast.sam.notifications.get()
    assert note.text == f"Fran Okafor passed {case.ref} to you (needs expertise)"


@pytest.mark.parametrize(
    ("receiver", "direction"), [("fiona", "same"), ("sam", "up")], ids=["sideways", "up"]
)
def test_a_pass_records_its_direction(cast, receiver, direction):
    case = make_case(category=cast.billing, acting=cast.fran)

    pass_(case, cast.fran, to_user=getattr(cast, receiver))

    assert case.events.get(kind=EventKind.PASSED).data["direction"] == direction


def test_a_pass_down_is_recorded_as_down(cast):
    case = make_case(category=cast.billing, acting=cast.eve)

    pass_(case, cast.eve, to_user=cast.fran)

    assert case.events.get(kind=EventKind.PASSED).data["direction"] == "down"


def test_passing_to_a_tier_picks_the_least_loaded_member(cast):
    sara = make_staff("sara", cast.tiers["specialist"], name="Sara Second").user
    make_case(category=cast.billing, acting=cast.sam)  # sam has one open case, sara none
    case = make_case(category=cast.billing, acting=cast.fran)

    case = pass_(case, cast.fran, to_tier=cast.tiers["specialist"])

    assert case.owner == sara


def test_passing_to_a_tier_counts_only_open_cases_as_load(cast):
    sara = make_staff("sara", cast.tiers["specialist"], name="Sara Second").user
    old = make_case(category=cast.billing, acting=sara)
    actions.solve(old, acting=sara, resolution="Done", one_off_reason="Once")
    make_case(category=cast.billing, acting=cast.sam)  # sam: one open; sara: one solved
    case = make_case(category=cast.billing, acting=cast.fran)

    case = pass_(case, cast.fran, to_tier=cast.tiers["specialist"])

    assert case.owner == sara


def test_passing_to_a_tier_picks_someone_whose_skills_cover_the_category(cast):
    delivery = make_category("delivery", "Delivery")
    Staff.objects.filter(user=cast.sam).first().skills.set([delivery])
    sara = make_staff("sara", cast.tiers["specialist"], skills=[cast.billing]).user
    make_case(category=cast.billing, acting=sara)  # sara is busier, but sam lacks billing
    case = make_case(category=cast.billing, acting=cast.fran)

    case = pass_(case, cast.fran, to_tier=cast.tiers["specialist"])

    assert case.owner == sara


def test_passing_to_a_tier_skips_people_off_duty_and_inactive(cast):
    make_staff("otto", cast.tiers["specialist"], on_duty=False)
    gone = make_staff("gone", cast.tiers["specialist"])
    gone.active = False
    gone.save()
    make_case(category=cast.billing, acting=cast.sam)  # sam is the busiest but the only one
    case = make_case(category=cast.billing, acting=cast.fran)

    case = pass_(case, cast.fran, to_tier=cast.tiers["specialist"])

    assert case.owner == cast.sam


def test_passing_to_ones_own_tier_picks_a_colleague_not_oneself(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    case = pass_(case, cast.fran, to_tier=cast.tiers["frontline"])

    assert case.owner == cast.fiona


def test_passing_to_a_tier_where_nobody_qualifies_is_refused(cast):
    Staff.objects.filter(user=cast.eve).update(on_duty=False)
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        pass_(case, cast.fran, to_tier=cast.tiers["expert"])

    assert refused.value.message == (
        "Nobody at Expert is on duty with the skills for Billing; "
        "pass to a named person instead, or put someone on duty."
    )


def test_only_the_owner_can_pass(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        pass_(case, cast.sam, to_user=cast.eve)

    assert refused.value.message == (
        f"Only the owner can pass {case.ref}; it is owned by Fran Okafor."
    )


@pytest.mark.parametrize("reason", ["", "bored", None])
def test_a_pass_needs_a_reason_from_the_list(cast, reason):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.pass_case(case, acting=cast.fran, reason=reason, note="n", to_user=cast.sam)

    assert refused.value.message == (
        "Choose a reason for passing: needs_authority, needs_expertise, needs_other_team, "
        "customer_asked, shift_change."
    )
    assert refused.value.fields == {"reason": "Choose a reason."}


@pytest.mark.parametrize("note", ["", "   ", None])
def test_a_pass_needs_a_note_for_the_next_owner(cast, note):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.pass_case(
            case, acting=cast.fran, reason="needs_expertise", note=note, to_user=cast.sam
        )

    assert refused.value.message == "Write a note for the next owner."


def test_a_pass_goes_to_a_person_or_a_tier_not_both(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        pass_(case, cast.fran, to_user=cast.sam, to_tier=cast.tiers["specialist"])

    assert refused.value.message == "Pass to a named person or to a tier (one of them)."


def test_a_pass_needs_somewhere_to_go(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete):
        pass_(case, cast.fran)


def test_the_owner_cannot_pass_to_themselves(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        pass_(case, cast.fran, to_user=cast.fran)

    assert refused.value.message == f"{case.ref} is already yours; pass it to someone else."


def test_a_case_cannot_be_passed_to_someone_who_left(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    sam = deactivated(cast.sam)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        pass_(case, cast.fran, to_user=sam)

    assert refused.value.message == "Sam Special is not active staff, so cannot receive a case."


def test_a_case_cannot_be_passed_to_a_user_who_is_not_staff(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    visitor = User.objects.create_user("visitor")

    with nothing_written(case), pytest.raises(DomainError) as refused:
        pass_(case, cast.fran, to_user=visitor)

    assert refused.value.message == "visitor is not active staff, so cannot receive a case."


def test_inactive_staff_cannot_pass(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    fran = deactivated(cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        pass_(case, fran, to_user=cast.sam)

    assert refused.value.message == "Fran Okafor is not active staff, so cannot act on cases."


def test_a_solved_case_cannot_be_passed(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    case = actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")

    with nothing_written(case), pytest.raises(DomainError) as refused:
        pass_(case, cast.fran, to_user=cast.sam)

    assert refused.value.message == f"{case.ref} is solved; it cannot be passed."


def test_a_case_cannot_be_passed_up_with_required_details_missing(cast):
    case = make_case(category=cast.billing, acting=cast.fran, details={"amount": 12})

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        pass_(case, cast.fran, to_user=cast.sam)

    assert refused.value.message == (
        f"Complete the required details before passing {case.ref} up: Invoice number."
    )
    assert refused.value.fields == {"invoice": "Required before passing up."}


def test_a_case_with_missing_details_can_still_be_passed_sideways(cast):
    """Rule 2 guards passing up; a shift change to a colleague keeps the gathering going."""
    case = make_case(category=cast.billing, acting=cast.fran, details={})

    case = actions.pass_case(
        case,
        acting=cast.fran,
        reason="shift_change",
        note="Ask for the invoice.",
        to_user=cast.fiona,
    )

    assert case.owner == cast.fiona


def test_completing_the_details_lets_the_case_pass_up(cast):
    case = make_case(category=cast.billing, acting=cast.fran, details={})
    actions.update_details(case, acting=cast.fran, details={"invoice": "INV-3"})

    case = pass_(case, cast.fran, to_tier=cast.tiers["specialist"])

    assert case.owner == cast.sam
