"""The one way mail comes in: store the raw bytes and commit, then process.

Every transport (SMTP, IMAP, a test) calls `receive(raw_bytes, source=…)`. The raw message
is committed before anything is decided, so a crash at any later point loses nothing: the
row stays `received` and `process_pending()` (run by `relaydesk mailin` at start and every
minute) finishes it. Processing is idempotent and retried; what still fails is quarantined
with its reason.
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, OperationalError, close_old_connections, transaction

from relaydesk.clock import now
from relaydesk.intake.mail import rawfiles
from relaydesk.intake.mail.parse import message_key, read_message_id
from relaydesk.intake.mail.process import Result, process, quarantine
from relaydesk.intake.models import RawMessage

log = logging.getLogger("relaydesk.mail")

ATTEMPTS = 3
PAUSE_SECONDS = 0.2


@dataclass
class Received:
    raw_id: int
    created: bool  # False: the same message was already stored (a redelivery)
    result: Result | None


def store(
    raw_bytes: bytes, *, source: str, envelope_from: str = "", envelope_to: list[str] = ()
) -> tuple[RawMessage, bool]:
    """Store the message as it arrived and commit. A redelivery returns the stored row.

    `envelope_from` is the SMTP reverse-path ("<>" for the null path of bounces; "" when the
    transport does not know it, as with IMAP)."""
    message_id = read_message_id(raw_bytes)
    key = message_key(raw_bytes, message_id)
    raw_file = ""
    if len(raw_bytes) > settings.MAIL_RAW_FILE_BYTES:
        raw_file = rawfiles.write(raw_bytes)  # on disk (fsynced) before the row commits
    try:
        with transaction.atomic():
            raw = RawMessage.objects.create(
                message_key=key,
                message_id=message_id,
                raw=b"" if raw_file else raw_bytes,
                raw_file=raw_file,
                size=len(raw_bytes),
                source=source[:20],
                envelope_from=(envelope_from or "")[:320],
                envelope_to=[str(address).lower()[:320] for address in envelope_to][:100],
                received_at=now(),
            )
    except IntegrityError:  # stored before: a redelivery (or the same mail at the same moment)
        return RawMessage.objects.defer("raw").get(message_key=key), False
    return raw, True


def receive(
    raw_bytes: bytes, *, source: str, envelope_from: str = "", envelope_to: list[str] = ()
) -> Received:
    """Store first (committed), then process once. Never raises for what a message contains."""
    raw, created = store(
        raw_bytes, source=source, envelope_from=envelope_from, envelope_to=envelope_to
    )
    if raw.state != RawMessage.State.RECEIVED:
        return Received(raw.pk, created, None)
    return Received(raw.pk, created, process_with_retries(raw.pk, raw_bytes=raw_bytes))


def process_with_retries(raw_id: int, *, raw_bytes: bytes | None = None) -> Result:
    """Process; a busy database is retried, anything else is quarantined with its reason.

    `raw_bytes`, when the caller still holds them, saves reading a big message back."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return process(raw_id, raw_bytes=raw_bytes)
        except OperationalError as error:
            log.warning("mail %s: attempt %s failed: %s", raw_id, attempt, error)
            if attempt == ATTEMPTS:
                return _record_failure(raw_id, error, quarantine_it=False)
            close_old_connections()
            time.sleep(PAUSE_SECONDS * attempt)  # outside any transaction
        except Exception as error:  # noqa: BLE001 - a message must never take intake down
            log.exception("mail %s could not be processed", raw_id)
            return _record_failure(raw_id, error, quarantine_it=True)
    raise AssertionError("unreachable")


def _record_failure(raw_id: int, error: Exception, *, quarantine_it: bool) -> Result:
    reason = f"Processing failed: {type(error).__name__}: {error}"[:500]
    with transaction.atomic():
        raw = RawMessage.objects.select_for_update().get(pk=raw_id)
        raw.last_error = reason
        if not quarantine_it or raw.state != RawMessage.State.RECEIVED:
            raw.save(update_fields=["last_error"])
            return Result(raw.outcome, raw.case, reason)
        result = quarantine(raw, reason)
        raw.state = RawMessage.State.QUARANTINED
        raw.outcome = result.outcome
        raw.processed_at = now()
        raw.save()
    return result


def process_pending(limit: int = 500) -> int:
    """Finish messages stored but never processed (a crash, a busy database). Returns a count."""
    pending = list(
        RawMessage.objects.filter(state=RawMessage.State.RECEIVED)
        .order_by("received_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for raw_id in pending:
        process_with_retries(raw_id)
    return len(pending)
