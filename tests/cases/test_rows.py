"""relaydesk.rows.insert stores a row exactly as Model.save() would, on either database."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

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

    assert len(queries) == 1, "one INSERT, nothing else"
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding
    assert _stored(Event, inserted.pk) == _stored(Event, saved.pk)
    assert Event.objects.get(pk=inserted.pk).at == MOMENT


def test_an_inserted_row_gets_the_id_the_database_gave_it(cast):
    # Unwatched, SQLite's rows go through its driver (the id from lastrowid); watched, through
    # Django's cursor. Either way the instance holds the row's own id.
    case = make_case(category=cast.billing, acting=cast.fran)
    unwatched = rows.insert(rows.new(Event, case=case, kind=EventKind.NOTE, at=MOMENT, body="a"))
    with CaptureQueriesContext(connection):
        watched = rows.insert(rows.new(Event, case=case, kind=EventKind.NOTE, at=MOMENT, body="b"))

    assert Event.objects.get(pk=unwatched.pk).body == "a"
    assert Event.objects.get(pk=watched.pk).body == "b"
    assert watched.pk == unwatched.pk + 1


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


def _field_values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_new_builds_the_instance_the_keyword_form_builds(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    fields = {
        "case": case,
        "kind": EventKind.PASSED,
        "at": MOMENT,
        "actor": cast.fran,
        "to_owner": cast.sam,
        "to_tier": cast.tiers["specialist"],
        "from_owner": None,
        "reason": "needs_skill",
    }

    built, expected = rows.new(Event, **fields), Event(**fields)

    assert _field_values(built) == _field_values(expected)
    assert built.pk is None and built._state.adding
    assert built.case is case and built.to_tier is cast.tiers["specialist"]  # cached, no query
    assert built.from_owner is None
    assert built.data == {} and built.data is not rows.new(Event, case=case).data  # own default


def test_new_refuses_what_the_keyword_form_refuses(cast):
    with pytest.raises(TypeError, match="unexpected fields colour"):
        rows.new(Event, kind=EventKind.NOTE, colour="red")
    with pytest.raises(ValueError, match='"Event.case" must be a "Case" instance'):
        rows.new(Event, case=cast.fran, kind=EventKind.NOTE)
    with pytest.raises(TypeError, match="both case_id and its related object"):
        rows.new(Event, case=None, case_id=1, kind=EventKind.NOTE)


def _mail_about(event: Event, name: str) -> OutgoingMail:
    """A mail built with rows.new that refers to `event`, saved or not."""
    return rows.new(
        OutgoingMail,
        message_id=f"<rd.{name}@relaydesk.localhost>",
        to=f"{name}@example.com",
        subject="s",
        body="b",
        case=event.case,
        event=event,
        created_at=MOMENT,
        next_attempt_at=MOMENT,
    )


def test_a_related_row_saved_after_new_gives_its_key_at_insert(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    event = rows.new(Event, case=case, kind=EventKind.NOTE, at=MOMENT)  # not saved yet
    mail = _mail_about(event, "later")

    rows.insert(event)
    rows.insert(mail)

    assert OutgoingMail.objects.get(pk=mail.pk).event_id == event.pk


def test_a_related_row_never_saved_is_refused_at_insert(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    mail = _mail_about(rows.new(Event, case=case, kind=EventKind.NOTE, at=MOMENT), "never")

    with pytest.raises(ValueError, match="unsaved related object"):
        rows.insert(mail)


@pytest.mark.parametrize(
    "moment",
    [
        MOMENT,
        datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York")),
    ],
    ids=["utc", "berlin-before-dst", "new-york-second-1:30"],
)
def test_an_aware_moment_is_stored_as_save_stores_it(cast, moment):
    case = make_case(category=cast.billing, acting=cast.fran)
    saved = Event(case=case, kind=EventKind.NOTE, at=moment)
    saved.save()

    inserted = rows.insert(rows.new(Event, case=case, kind=EventKind.NOTE, at=moment))

    assert _stored(Event, inserted.pk) == _stored(Event, saved.pk)
    assert Event.objects.get(pk=inserted.pk).at.timestamp() == moment.timestamp()
