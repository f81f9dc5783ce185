"""add_note: anyone on staff may write one; the owner's note counts as the owner's activity."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import EventKind
from tests.cases.written import deactivated, nothing_written
from tests.factories import make_case

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_the_owner_adds_a_note_and_the_idle_clock_restarts(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=cast.billing, acting=cast.fran)
    later = MONDAY_NINE + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        note = actions.add_note(case, acting=cast.fran, body="  Called the bank.  ")

    assert (note.kind, note.actor, note.body, note.at) == (
        EventKind.NOTE,
        cast.fran,
        "Called the bank.",
        later,
    )
    case.refresh_from_db()
    assert case.owner_active_at == later
    assert case.next_tickle_at == later + timedelta(hours=4)


def test_a_colleagues_note_does_not_count_as_the_owners_activity(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=cast.billing, acting=cast.fran)
    later = MONDAY_NINE + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        actions.add_note(case, acting=cast.mia, body="Check the refund policy.")

    case.refresh_from_db()
    assert case.last_activity_at == later
    assert case.owner_active_at == MONDAY_NINE
    assert case.next_tickle_at == MONDAY_NINE + timedelta(hours=4)
    assert case.owner == cast.fran


def test_a_note_can_be_added_to_a_solved_case(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    case = actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")

    actions.add_note(case, acting=cast.fran, body="Customer thanked us.")

    case.refresh_from_db()
    assert case.status == "solved"
    assert case.next_tickle_at is None


@pytest.mark.parametrize("body", ["", "  ", None])
def test_an_empty_note_is_refused(cast, body):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.add_note(case, acting=cast.fran, body=body)

    assert refused.value.message == "Write the note."


def test_a_note_over_the_limit_is_refused(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.add_note(case, acting=cast.fran, body="x" * 20_001)

    assert refused.value.message == "Keep the note under 20000 characters."


def test_inactive_staff_cannot_add_a_note(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    fran = deactivated(cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.add_note(case, acting=fran, body="Still here?")

    assert refused.value.message == "Fran Okafor is not active staff, so cannot act on cases."
