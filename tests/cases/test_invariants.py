"""The history cannot be rewritten, and an open case always has an owner (in the database)."""

import pytest
from django.db import IntegrityError, transaction

from relaydesk.cases import actions
from relaydesk.cases.models import Case, Event, EventKind
from relaydesk.org.append_only import AppendOnlyError
from tests.factories import make_case


def event_rows():
    return list(Event.objects.order_by("id").values())


@pytest.fixture
def history(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    actions.add_note(case, acting=cast.fran, body="Called the bank.")
    return case


def test_an_existing_event_cannot_be_saved_again(history):
    before = event_rows()
    note = history.events.get(kind=EventKind.NOTE)
    note.body = "Never called anyone."

    with pytest.raises(AppendOnlyError, match="cannot be changed"):
        note.save()

    assert event_rows() == before


def test_an_event_cannot_be_deleted(history):
    before = event_rows()

    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        history.events.get(kind=EventKind.NOTE).delete()

    assert event_rows() == before


def test_events_cannot_be_updated_in_bulk(history):
    before = event_rows()

    with pytest.raises(AppendOnlyError, match="cannot be updated"):
        Event.objects.filter(case=history).update(body="rewritten")
    with pytest.raises(AppendOnlyError, match="cannot be updated"):
        history.events.all().update(body="rewritten")

    assert event_rows() == before


def test_events_cannot_be_deleted_in_bulk(history):
    before = event_rows()

    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        Event.objects.all().delete()
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        history.events.filter(kind=EventKind.NOTE).delete()

    assert event_rows() == before


def test_events_cannot_be_bulk_updated(history):
    before = event_rows()
    events = list(history.events.all())
    for event in events:
        event.body = "rewritten"

    with pytest.raises(AppendOnlyError):
        Event.objects.bulk_update(events, ["body"])

    assert event_rows() == before


def test_the_database_refuses_an_open_case_without_an_owner(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(owner=None)

    assert Case.objects.get(pk=case.pk).owner == cast.fran


def test_the_database_refuses_saving_an_open_case_without_an_owner(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    case.owner = None

    with pytest.raises(IntegrityError), transaction.atomic():
        case.save()

    assert Case.objects.get(pk=case.pk).owner == cast.fran


def test_a_solved_case_keeps_its_owner_but_the_rule_binds_only_open_cases(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    actions.solve(case, acting=cast.fran, resolution="Done", one_off_reason="Once")

    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(owner=None)  # allowed: the case is not open

    assert Case.objects.get(pk=case.pk).owner is None
