"""The statements every inbound message runs, written out in SQL.

Measured on the mail path (bench/mail_inbound.py): building these queries with the ORM cost
about ten times as much as running them (about 1 ms against 0.1 ms each, on SQLite), and they
run for every message. Each is plain SQL that SQLite and PostgreSQL both take, on the
models' own tables and columns (RawMessage, Category, MailRule); tests/mail covers each.
"""

from datetime import datetime

from django.db import connection

from relaydesk.intake.models import RawMessage
from relaydesk.org.models import Category

# relaydesk.intake.mail.process._decide: what this delivery may duplicate, oldest first.
# Uses raw_message_key_idx and raw_fingerprint_idx (an OR of two index searches).
EARLIER_SQL = """
    SELECT id, message_key, fingerprint, case_id FROM intake_rawmessage
    WHERE id <> %s AND (
        (message_key = %s AND id < %s)
        OR (fingerprint = %s AND received_at >= %s AND state = %s AND case_id IS NOT NULL)
    )
    ORDER BY id LIMIT 20
"""

# relaydesk.intake.mail.process: the first statement of an attempt. It locks the row (on
# PostgreSQL a second attempt waits here, then finds it done; SQLite's BEGIN IMMEDIATE
# already lets one writer in at a time) and counts the attempt, only while still `received`.
CLAIM_SQL = "UPDATE intake_rawmessage SET attempts = attempts + 1 WHERE id = %s AND state = %s"

# relaydesk.intake.mail.process._finish: what the message became, in the claiming transaction.
FINISH_SQL = """
    UPDATE intake_rawmessage
    SET sender = %s, subject = %s, fingerprint = %s, state = %s, outcome = %s,
        outcome_reason = %s, case_id = %s, duplicate_of_id = %s, processed_at = %s
    WHERE id = %s AND state = %s
"""

# relaydesk.intake.mail.process.category_for; the orders are the models' Meta.ordering.
ACTIVE_CATEGORIES_SQL = (
    "SELECT * FROM intake_category WHERE active = %s ORDER BY position, name, id"
)
RULES_SQL = "SELECT field, text, category_id FROM intake_mailrule ORDER BY position, id"


def _when(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def earlier_deliveries(
    *, raw_id: int, message_key: str, fingerprint: str, since: datetime
) -> list[tuple[int, str, str, int | None]]:
    """(id, message_key, fingerprint, case_id) of the rows a delivery may duplicate: an
    earlier delivery of the same message, whatever became of it, or the same sender, subject
    and words since `since`, processed into a case."""
    with connection.cursor() as cursor:
        cursor.execute(
            EARLIER_SQL,
            [
                raw_id,
                message_key,
                raw_id,
                fingerprint,
                _when(since),
                RawMessage.State.PROCESSED,
            ],
        )
        return cursor.fetchall()


def claim(raw_id: int) -> bool:
    """Lock the row for this attempt and count it. False when the message is no longer
    `received` (another attempt finished it)."""
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, [raw_id, RawMessage.State.RECEIVED])
        return cursor.rowcount == 1


def finish(raw: RawMessage) -> bool:
    """Write the row's outcome fields, if it is still `received`. True when written."""
    with connection.cursor() as cursor:
        cursor.execute(
            FINISH_SQL,
            [
                raw.sender,
                raw.subject,
                raw.fingerprint,
                raw.state,
                raw.outcome,
                raw.outcome_reason,
                raw.case_id,
                raw.duplicate_of_id,
                _when(raw.processed_at),
                raw.pk,
                RawMessage.State.RECEIVED,
            ],
        )
        return cursor.rowcount == 1


def active_categories() -> list[Category]:
    """Active categories in their order (Category.Meta.ordering), as model instances."""
    return list(Category.objects.raw(ACTIVE_CATEGORIES_SQL, [True]))


def mail_rules() -> list[tuple[str, str, int]]:
    """(field, text, category_id) of every MailRule, in their order (MailRule.Meta)."""
    with connection.cursor() as cursor:
        cursor.execute(RULES_SQL)
        return cursor.fetchall()
