"""take: domain rule 4, anyone at the case's tier or above grabs it from the current owner."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import EventKind
from tests.cases.written import deactivated, nothing_written
from tests.factories import make_case

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_expert_can_take_a_case_from_frontline(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    case = actions.take(case, acting=cast.eve)

    assert case.owner == cast.eve
    assert case.tier == cast.tiers["expert"]
    taken = case.events.get(kind=EventKind.TAKEN)
    assert (taken.actor, taken.from_owner, taken.to_owner) == (cast.eve, cast.fran, cast.eve)
    assert (taken.from_tier, taken.to_tier) == (cast.tiers["frontline"], cast.tiers["expert"])


def test_a_colleague_at_the_same_tier_can_take_a_case(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    case = actions.take(case, acting=cast.fiona)

    assert case.owner == cast.fiona


def test_the_previous_owner_is_told_their_case_was_taken(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    actions.take(case, acting=cast.sam)

    assert cast.fran.notifications.get().text == f"Sam Special took {case.ref} from you"


def test_taking_restarts_the_idle_clock_for_the_new_owner(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=cast.billing, acting=cast.fran)
    with time_machine.travel(MONDAY_NINE + timedelta(hours=3), tick=False):
        case = actions.take(case, acting=cast.sam)

    assert case.owner_active_at == MONDAY_NINE + timedelta(hours=3)
    assert case.next_tickle_at == MONDAY_NINE + timedelta(hours=7)
    assert case.deadline == MONDAY_NINE + timedelta(hours=20)  # taking does not move the promise


def test_frontline_cannot_take_a_case_from_above_their_tier(cast):
    case = make_case(category=cast.billing, acting=cast.sam)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.take(case, acting=cast.fran)

    assert refused.value.message == (
        f"{case.ref} is at Specialist; Fran Okafor at Frontline cannot take it from above."
    )


def test_the_owner_cannot_take_their_own_case(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.take(case, acting=cast.fran)

    assert refused.value.message == f"{case.ref} is already yours."


def test_a_solved_case_cannot_be_taken(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    case = actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.take(case, acting=cast.sam)

    assert refused.value.message == f"{case.ref} is solved; reopen it first."


def test_inactive_staff_cannot_take_a_case(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    sam = deactivated(cast.sam)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.take(case, acting=sam)

    assert refused.value.message == "Sam Special is not active staff, so cannot act on cases."


def test_a_user_without_a_staff_profile_cannot_take_a_case(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    visitor = User.objects.create_user("visitor", first_name="Vic", last_name="Visitor")

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.take(case, acting=visitor)

    assert refused.value.message == "Vic Visitor is not active staff, so cannot act on cases."


def test_take_works_from_a_stale_copy_of_the_case(cast):
    """The action re-reads the row under lock: a page loaded before a pass still acts on truth."""
    stale = make_case(category=cast.billing, acting=cast.fran)
    actions.take(stale, acting=cast.sam)

    with nothing_written(stale), pytest.raises(DomainError) as refused:
        actions.take(stale, acting=cast.fiona)  # the case is at specialist now

    assert "cannot take it from above" in refused.value.message
