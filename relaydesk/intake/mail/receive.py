"""The one way mail comes in: store the raw bytes and commit, then process.

Every transport (SMTP, IMAP, a test) calls `receive(raw_bytes, source=…)`. The raw message
is committed before anything is decided, so a crash at any later point loses nothing: the
row stays `received` and `process_pending()` (run by `relaydesk mailin` at start and every
minute) finishes it. Processing is idempotent and retried; what still fails is quarantined
with its reason.

Every delivery is its own row, a redelivery of the same message too, so the raw rows are
exactly what arrived. Whether a delivery is new is decided when it is processed: a message
delivered twice is processed as a duplicate of the first and creates nothing new.
"""

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import (
    IntegrityError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)

from relaydesk.intake.mail import rawfiles
from relaydesk.intake.mail.parse import message_key, read_message_id
from relaydesk.intake.mail.process import Result, process, quarantine
from relaydesk.intake.models import RawMessage
from relaydesk.timekeeping import now

log = logging.getLogger("relaydesk.mail")

ATTEMPTS = 3
PAUSE_SECONDS = 0.2


@dataclass
class Received:
    raw_id: int
    created: bool  # False: this very delivery was stored before (an IMAP message fetched again)
    result: Result | None


def store(
    raw_bytes: bytes,
    *,
    source: str,
    envelope_from: str = "",
    envelope_to: Sequence[str] = (),
    delivery_key: str = "",
) -> tuple[RawMessage, bool]:
    """Store the delivery as it arrived and commit. Returns the row and whether it is new.

    `envelope_from` is the SMTP reverse-path ("<>" for the null path of bounces; "" when the
    transport does not know it, as with IMAP). `delivery_key` names this delivery where the
    transport can (IMAP: mailbox, UIDVALIDITY, UID); a second store under the same key
    returns the stored row instead of a new one."""
    message_id = read_message_id(raw_bytes)
    raw_file = ""
    if len(raw_bytes) > settings.MAIL_RAW_FILE_BYTES:
        raw_file = rawfiles.write(raw_bytes)  # on disk (fsynced) before the row commits
    fields = {
        "message_key": message_key(raw_bytes, message_id),
        "message_id": message_id,
        "raw": b"" if raw_file else raw_bytes,
        "raw_file": raw_file,
        "size": len(raw_bytes),
        "source": source[:20],
        "envelope_from": (envelope_from or "")[:320],
        "envelope_to": [str(address).lower()[:320] for address in envelope_to][:100],
        "received_at": now(),
    }
    if not delivery_key:
        # One statement in autocommit mode: committed when it returns.
        return RawMessage.objects.create(**fields), True
    try:
        with transaction.atomic():
            return RawMessage.objects.create(delivery_key=delivery_key, **fields), True
    except IntegrityError:  # this delivery was stored before (fetched again after a crash)
        return RawMessage.objects.defer("raw").get(delivery_key=delivery_key), False


def receive(
    raw_bytes: bytes,
    *,
    source: str,
    envelope_from: str = "",
    envelope_to: Sequence[str] = (),
    delivery_key: str = "",
) -> Received:
    """Store first (committed), then process once. Never raises for what a message contains."""
    raw, created = store(
        raw_bytes,
        source=source,
        envelope_from=envelope_from,
        envelope_to=envelope_to,
        delivery_key=delivery_key,
    )
    if raw.state != RawMessage.State.RECEIVED:
        return Received(raw.pk, created, None)
    stored = raw if created else None  # a row we just made is known; another is re-read
    return Received(raw.pk, created, process_with_retries(raw.pk, raw_bytes=raw_bytes, raw=stored))


def ready_connection() -> None:
    """Before each message on a transport's long-lived thread: keep the thread's database
    connection from one message to the next, closing it only when it is broken, left in a
    transaction, or older than CONN_MAX_AGE when that is set.

    Django's close_old_connections() is made for requests: with CONN_MAX_AGE=0 (the embedded
    SQLite default) it closes the connection after every message, and opening a new one (the
    PRAGMAs, the schema read again) cost about as much as processing the message."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        if connection.settings_dict["CONN_MAX_AGE"]:
            connection.close_if_unusable_or_obsolete()  # Django's rule, the age included
        elif not connection.get_autocommit():
            connection.close()
        elif connection.errors_occurred:
            if connection.is_usable():
                connection.errors_occurred = False
            else:
                connection.close()


def process_with_retries(
    raw_id: int, *, raw_bytes: bytes | None = None, raw: RawMessage | None = None
) -> Result:
    """Process; a busy database is retried, anything else is quarantined with its reason.

    `raw_bytes` and `raw` (the row as just stored), when the caller still holds them, save
    reading them back. A retry reads the row again: a failed attempt may have changed it."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return process(raw_id, raw_bytes=raw_bytes, raw=raw if attempt == 1 else None)
        except OperationalError as error:
            log.warning("mail %s: attempt %s failed: %s", raw_id, attempt, error)
            if attempt == ATTEMPTS:
                return _record_failure(raw_id, error, quarantine_it=False)
            close_old_connections()
            time.sleep(PAUSE_SECONDS * attempt)  # outside any transaction
        except Exception as error:  # a message must never take intake down (logged below)
            log.exception("mail %s could not be processed", raw_id)
            return _record_failure(raw_id, error, quarantine_it=True)
    raise AssertionError("unreachable")


def _record_failure(raw_id: int, error: Exception, *, quarantine_it: bool) -> Result:
    reason = f"Processing failed: {type(error).__name__}: {error}"[:500]
    with transaction.atomic():
        raw = RawMessage.objects.select_for_update().defer("raw").get(pk=raw_id)
        raw.last_error = reason
        if not quarantine_it or raw.state != RawMessage.State.RECEIVED:
            raw.save(update_fields=["last_error"])
            return Result(raw.outcome, raw.case, reason)
        result = quarantine(raw, reason)
        raw.state = RawMessage.State.QUARANTINED
        raw.outcome = result.outcome
        raw.outcome_reason = reason
        raw.processed_at = now()
        raw.save(update_fields=["last_error", "state", "outcome", "outcome_reason", "processed_at"])
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
