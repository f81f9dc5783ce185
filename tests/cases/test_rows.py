"""relaydesk.rows.insert stores a row exactly as Model.save() would, on either database."""

from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from relaydesk import rows
from relaydesk.cases.models import Event, EventKind
from relaydesk.outbox.models import OutgoingMail
from tests.factories import make_case

MOMENT = datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=UTC)


def _stored(model, pk) -> dict:
    """The row as the ORM reads it back, without the primary key."""
    values = model.objects.filter(pk=pk).values().get()
    values.pop("id")
    return values


def test_an_inserted_event_reads_back_like_a_saved_one(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    fields = {
        "case": case,
        "kind": EventKind.NOTE,
        "at": MOMENT,
        "actor": cast.fran,
        "to_owner": cast.sam,
        "to_tier": cast.tiers["specialist"],
        "body": "Zoë's ticket — 2 × €12,50",
        "data": {"nested": {"list": [1, 2.5, None, True]}, "text": "ünïcode"},
    }
    saved = Event(**fields)
    saved.save()

    with CaptureQueriesContext(connection) as queries:
        inserted = rows.insert(Event(**fields))

    assert len(queries) == 1, "one INSERT … RETURNING, nothing else"
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding
    assert _stored(Event, inserted.pk) == _stored(Event, saved.pk)
    assert Event.objects.get(pk=inserted.pk).at == MOMENT


def test_field_defaults_are_applied_as_save_applies_them(cast):
    mail = rows.insert(
        OutgoingMail(
            message_id="<rd.rows-test@relaydesk.localhost>",
            to="zoe@example.com",
            subject="s",
            body="b",
            created_at=MOMENT,
            next_attempt_at=MOMENT,
        )
    )

    stored = OutgoingMail.objects.get(pk=mail.pk)
    assert (stored.status, stored.attempts, stored.headers, stored.automatic) == (
        OutgoingMail.Status.QUEUED,
        0,
        {},
        False,
    )


def _through_django(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.mark.django_db
def test_fetch_reads_placeholders_and_percent_signs_as_django_does():
    # "%%" is a literal "%", so "%%s" is the text "%s" and no placeholder (the driver path
    # rewrites the statement itself; the cursor path is Django's own).
    sql = "SELECT '100%%', '%%s', %s"
    assert rows.fetch(connection, sql, [7]) == _through_django(sql, [7]) == [("100%", "%s", 7)]


@pytest.mark.django_db
def test_fetch_raises_django_errors_and_respects_a_broken_transaction():
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        rows.fetch(connection, "SELECT nothing FROM nowhere", [])
    assert type(raised.value).__module__ == "django.db.utils"

    with transaction.atomic():
        with pytest.raises(DatabaseError), transaction.atomic(savepoint=False):
            rows.fetch(connection, "SELECT nothing FROM nowhere", [])
        with pytest.raises(TransactionManagementError):
            rows.fetch(connection, "SELECT 1", [])
