"""The queries the mail path runs for every inbound message (relaydesk.intake.mail.process)."""

from datetime import datetime

from django.db.models import F, Q

from relaydesk.cases.models import Case, Channel
from relaydesk.intake.mail.forget import erased_key
from relaydesk.intake.models import MailRule, RawMessage
from relaydesk.org.models import Category


def earlier_deliveries(
    *, raw_id: int, message_key: str, fingerprint: str, since: datetime
) -> list[tuple[int, str, str, int | None]]:
    """(id, message_key, fingerprint, case_id) of the rows a delivery may duplicate, oldest
    first: an earlier delivery of the same message, whatever became of it, or the same sender,
    subject and words since `since`, processed into a case.

    An OR of two index searches: raw_message_key_idx and raw_fingerprint_idx."""
    # A message whose customer was erased keeps only its key's hash (intake.mail.forget).
    keys = [message_key, erased_key(message_key)]
    same_message = Q(message_key__in=keys, pk__lt=raw_id)
    same_words = Q(
        fingerprint=fingerprint,
        received_at__gte=since,
        state=RawMessage.State.PROCESSED,
        case__isnull=False,
    )
    return list(
        RawMessage.objects.filter(same_message | same_words)
        .exclude(pk=raw_id)
        .order_by("pk")
        .values_list("pk", "message_key", "fingerprint", "case_id")[:20]
    )


def claim(raw_id: int) -> bool:
    """The first write of an attempt: count it, only while the message is still `received`.
    The update locks the row, so on PostgreSQL a second attempt waits here, then finds it done
    (SQLite lets one writer in at a time already). False when another attempt finished it."""
    claimed = RawMessage.objects.filter(pk=raw_id, state=RawMessage.State.RECEIVED).update(
        attempts=F("attempts") + 1
    )
    return claimed == 1


def finish(raw: RawMessage) -> bool:
    """Write the row's outcome fields, if it is still `received`. True when written."""
    written = RawMessage.objects.filter(pk=raw.pk, state=RawMessage.State.RECEIVED).update(
        sender=raw.sender,
        subject=raw.subject,
        fingerprint=raw.fingerprint,
        state=raw.state,
        outcome=raw.outcome,
        outcome_reason=raw.outcome_reason,
        case_id=raw.case_id,
        duplicate_of_id=raw.duplicate_of_id,
        processed_at=raw.processed_at,
    )
    return written == 1


def active_categories() -> list[Category]:
    """Active categories in their order (Category.Meta.ordering, then id)."""
    return list(Category.objects.filter(active=True).order_by("position", "name", "id"))


def mail_rules() -> list[tuple[str, str, int]]:
    """(field, text, category_id) of every MailRule, in their order (MailRule.Meta)."""
    return list(
        MailRule.objects.order_by("position", "id").values_list("field", "text", "category_id")
    )


def cases_opened_by_mail(address: str, *, since: datetime) -> int:
    """Cases mail from `address` opened after `since` (new cases and follow-ups): the
    customer email index, then the cases of those customers (their customer index), so the
    cost follows what this one address did. Addresses are stored lower-case."""
    return Case.objects.filter(
        customer__email=address.strip().lower(), channel=Channel.EMAIL, opened_at__gt=since
    ).count()
