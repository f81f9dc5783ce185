"""update_details: completing or correcting intake facts, each change recorded old → new."""

import pytest

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import EventKind
from tests.cases.written import deactivated, nothing_written
from tests.factories import make_case


def test_a_missing_detail_is_completed_with_its_old_and_new_value(cast):
    case = make_case(category=cast.billing, acting=cast.fran, details={})

    event = actions.update_details(case, acting=cast.fran, details={"invoice": "INV-9"})

    assert (event.kind, event.actor) == (EventKind.FIELD_CHANGED, cast.fran)
    assert event.data == {"changes": {"invoice": {"old": None, "new": "INV-9"}}}
    case.refresh_from_db()
    assert case.details == {"invoice": "INV-9"}


def test_a_detail_is_corrected_and_another_cleared(cast):
    case = make_case(
        category=cast.billing, acting=cast.fran, details={"invoice": "INV-1", "amount": 5}
    )

    event = actions.update_details(
        case, acting=cast.sam, details={"invoice": "INV-2", "amount": ""}
    )

    assert event.data["changes"] == {
        "invoice": {"old": "INV-1", "new": "INV-2"},
        "amount": {"old": 5, "new": None},
    }
    case.refresh_from_db()
    assert case.details == {"invoice": "INV-2"}


def test_the_real_need_is_recorded_too(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    event = actions.update_details(case, acting=cast.fran, real_need="Wants to travel Friday.")

    assert event.data["changes"] == {"real_need": {"old": "", "new": "Wants to travel Friday."}}


def test_nothing_changed_means_no_event(cast):
    case = make_case(category=cast.billing, acting=cast.fran, details={"invoice": "INV-1"})

    with nothing_written(case):
        assert actions.update_details(case, acting=cast.fran, details={"invoice": "INV-1"}) is None


def test_a_bad_value_is_refused_with_the_fields_sentence(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.update_details(case, acting=cast.fran, details={"amount": "twelve"})

    assert refused.value.message == "Some details are not right: amount: Enter a number."
    assert refused.value.fields == {"amount": "Enter a number."}


def test_an_unknown_field_is_refused(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.update_details(case, acting=cast.fran, details={"seat": "12A"})

    assert refused.value.fields == {"seat": "Billing has no field 'seat'."}


def test_inactive_staff_cannot_change_details(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    fran = deactivated(cast.fran)

    with nothing_written(case), pytest.raises(DomainError):
        actions.update_details(case, acting=fran, details={"invoice": "INV-5"})
