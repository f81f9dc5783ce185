"""rows.insert keeps save()'s rules where a value is not of the column's own Python type, and for
related objects assigned before they were saved."""

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from relaydesk import rows
from relaydesk.cases.models import Case, Event, EventKind
from relaydesk.outbox.models import OutgoingMail
from tests.factories import make_case, make_customer

MOMENT = datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=UTC)


def _raw(model, pk, column: str):
    """The value as the database holds it (no ORM conversion on the way back)."""
    with connection.cursor() as cursor:
        table, column = (
            connection.ops.quote_name(model._meta.db_table),
            connection.ops.quote_name(column),
        )
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _new_case(cast, **values) -> Case:
    fields = {
        "customer": make_customer(),
        "category": cast.billing,
        "subject": "Charged twice",
        "owner": cast.fran,
        "tier": cast.tiers["frontline"],
        "opened_at": MOMENT,
        "deadline": MOMENT,
        "last_activity_at": MOMENT,
        "owner_active_at": MOMENT,
    }
    return Case(**(fields | values))


@pytest.mark.parametrize(
    ("attname", "value"),
    [
        ("realtime", 1),  # an int for a BooleanField: save() stores True
        ("escalated", 0),
        ("tickle_count", True),  # a bool for an IntegerField: save() stores 1
        ("opening", "2"),  # a str for an IntegerField: save() stores 2
        ("problem_id", ""),  # an empty foreign key: save() stores NULL
    ],
)
def test_a_value_of_another_type_is_stored_as_save_stores_it(cast, attname, value):
    saved = _new_case(cast, **{attname: value})
    saved.save()
    column = Case._meta.get_field(attname.removesuffix("_id")).column

    inserted = rows.insert(_new_case(cast, **{attname: value}))

    assert _raw(Case, inserted.pk, column) == _raw(Case, saved.pk, column)
    field = attname.removesuffix("_id")
    assert Case.objects.values(field).get(pk=inserted.pk) == Case.objects.values(field).get(
        pk=saved.pk
    )


def test_a_related_row_inserted_after_its_assignment_is_stored_by_its_key(cast):
    case = make_case(category=cast.billing)
    event = Event(case=case, kind=EventKind.NOTE, at=MOMENT, body="x")
    mail = OutgoingMail(
        message_id="<rd.review@relaydesk.localhost>",
        to="carla@example.com",
        subject="s",
        body="b",
        case=case,
        event=event,  # assigned while the event has no key yet
        created_at=MOMENT,
        next_attempt_at=MOMENT,
    )
    rows.insert(event)

    rows.insert(mail)

    assert OutgoingMail.objects.values_list("event_id", flat=True).get(pk=mail.pk) == event.pk


def test_an_unsaved_related_row_is_refused_as_save_refuses_it(cast):
    case = make_case(category=cast.billing)
    event = Event(case=case, kind=EventKind.NOTE, at=MOMENT, body="never inserted")
    mails_before = OutgoingMail.objects.count()

    def unsaved_mail() -> OutgoingMail:
        return OutgoingMail(
            message_id="<rd.review-unsaved@relaydesk.localhost>",
            to="carla@example.com",
            subject="s",
            body="b",
            event=event,
            created_at=MOMENT,
            next_attempt_at=MOMENT,
        )

    with pytest.raises(ValueError, match="unsaved related object 'event'"):
        unsaved_mail().save()
    with pytest.raises(ValueError, match="unsaved related object 'event'"), transaction.atomic():
        rows.insert(unsaved_mail())
    assert OutgoingMail.objects.count() == mails_before


@pytest.mark.parametrize(
    ("column", "values"),
    [
        ("at", {"at": MOMENT}),
        ("at", {"at": MOMENT.replace(microsecond=0)}),  # no fraction, as str() writes it
        ("data", {"data": {"to": "zoë@example.com", "n": [1, 2.5, None, True]}}),
        ("data", {"data": [{"a": "€"}]}),
    ],
    ids=["moment", "whole-second", "json-object", "json-list"],
)
def test_moments_and_json_are_stored_in_the_very_text_save_stores(cast, column, values):
    case = make_case(category=cast.billing, acting=cast.fran)
    fields = {"case": case, "kind": EventKind.NOTE, "at": MOMENT} | values
    saved = Event(**fields)
    saved.save()

    inserted = rows.insert(rows.new(Event, **fields))

    assert _raw(Event, inserted.pk, column) == _raw(Event, saved.pk, column)


def test_a_model_with_init_listeners_is_built_through_its_constructor(cast):
    from django.db.models.signals import post_init

    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(listener, sender=Event)
    try:
        built = rows.new(Event, kind=EventKind.NOTE, at=MOMENT)
    finally:
        post_init.disconnect(listener, sender=Event)

    assert seen == [built]
