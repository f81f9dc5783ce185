"""Sending queued mail: the outbox half of the worker.

One mail, at most one successful hand-over to the mail server, as far as a database allows:

1. Claim: in a short committed transaction, take due QUEUED rows through outbox_due_idx
   (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: under the IMMEDIATE write lock), count the
   attempt and push `next_attempt_at` one lease ahead. Other workers now skip the rows
   until the lease ends.
2. Send each mail outside any transaction (no lock is held while talking to SMTP).
3. Right after the server accepts, mark the row SENT in its own committed transaction
   (a conditional UPDATE on the claimed attempt number, so a stale claim cannot overwrite).
   On failure, schedule the next attempt with exponential back-off (at most LONGEST_RETRY
   apart), until RELAYDESK_MAIL_RETRY_FOR (default 2 days) after the mail was queued; the
   last attempt falls at that moment, and when it fails too the mail is marked FAILED.
   Only an answer about the mail itself fails it at once (`final`): its recipient refused
   for good (5xx other than 5.7.x) or its content refused (5xx after DATA). Everything about
   the server or our settings (no answer, 4xx, a refused login such as 535, a refused
   sender, relaying denied) is retried, so a misconfiguration fixed within the window loses
   no mail. Such a failure ends the round: the rest of the batch waits with the same error
   instead of logging in again and again with a wrong password.
4. After a round with failures, `signals.sending_failed` tells whoever listens
   (relaydesk.cases.mail_trouble puts a line on every admin's bell).

The honest window: if the process dies after the server accepted a message and before step 3
commits, the lease runs out and the mail is sent again (at-least-once, with the same
Message-ID, so receiving mail programs can drop the copy). The embedded file backend names
its files by Message-ID, so there a resend overwrites and the outcome is exactly one file.
"""

import contextlib
import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, QuerySet

from relaydesk.org.addresses import sender_address
from relaydesk.outbox.masking import without_status_tokens
from relaydesk.outbox.models import OutgoingMail
from relaydesk.outbox.signals import sending_failed
from relaydesk.timekeeping import now

log = logging.getLogger("relaydesk.outbox")

BATCH_SIZE = 50
LONGEST_RETRY = timedelta(hours=2)


def lease() -> timedelta:
    """How long a claimed mail is left to its worker: longer than a whole batch can take with
    the SMTP timeout on every message (default 15 min, RELAYDESK_OUTBOX_LEASE_SECONDS)."""
    return timedelta(seconds=getattr(settings, "OUTBOX_LEASE_SECONDS", 15 * 60))


def retry_for() -> timedelta:
    """How long after it was queued a mail is still tried (RELAYDESK_MAIL_RETRY_FOR)."""
    return getattr(settings, "MAIL_RETRY_FOR", timedelta(days=2))


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failure: 30 s, 1 min, 2 min, 4 min … (by default), capped at 2 h."""
    first = timedelta(seconds=getattr(settings, "OUTBOX_RETRY_SECONDS", 30))
    return min(LONGEST_RETRY, first * (2 ** max(0, attempts - 1)))


def as_email(mail: OutgoingMail, sender: str = "") -> EmailMessage:
    """`sender`: the From, asked once a batch (relaydesk.org.addresses.sender_address)."""
    headers = {"Message-ID": mail.message_id}
    for name in ("In-Reply-To", "References", "Reply-To"):
        value = (mail.headers or {}).get(name)
        if value:
            headers[name] = value
    for name, value in (mail.headers or {}).items():
        if name not in headers and name.lower() not in ("message-id", "to", "from", "subject"):
            headers[name] = value
    if mail.automatic:
        # RFC 3834: replies we write automatically (acknowledgements) say "auto-replied".
        headers["Auto-Submitted"] = headers.get("Auto-Submitted") or "auto-generated"
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=sender or sender_address(),
        to=[mail.to],
        headers=headers,
    )
    for item in mail.attachments or []:
        message.attach(item["name"], attached_file(item["path"]), item["content_type"])
    return message


def attached_file(path: str) -> bytes:
    """The bytes of a file kept under MEDIA_ROOT. A file that is gone fails the attempt (the
    mail is retried, then marked failed with the reason), rather than sending without it."""
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root):
        raise ValueError(f"An attachment must be kept under MEDIA_ROOT, not {path!r}.")
    return target.read_bytes()


def due_mail(moment: datetime) -> QuerySet[OutgoingMail]:
    """Queued mail whose time has come (outbox_due_idx)."""
    return OutgoingMail.objects.filter(
        status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=moment
    )


def claim(limit: int) -> list[OutgoingMail]:
    """Due mail, oldest first, leased to this worker (see the module's step 1)."""
    with transaction.atomic():
        moment = now()
        # PostgreSQL: SKIP LOCKED, so workers claim disjoint mail; SQLite: Django leaves FOR
        # UPDATE out, and the claim runs under the IMMEDIATE transaction's write lock.
        due = due_mail(moment).select_for_update(skip_locked=True)
        mails = list(due.order_by("next_attempt_at")[:limit])
        if mails:
            OutgoingMail.objects.filter(pk__in=[mail.pk for mail in mails]).update(
                next_attempt_at=moment + lease(), attempts=F("attempts") + 1
            )
            for mail in mails:
                mail.attempts += 1
    return mails


def next_mail_at() -> datetime | None:
    """When the next queued mail is due (for the worker's sleep), or None with none queued."""
    return (
        OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


def _final_answer(code: int, text: bytes | str) -> bool:
    """A 5xx about a recipient, except 5.7.x (policy: relaying denied, sign-in needed), which
    our settings cause and fixing them cures."""
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return code >= 500 and not words.lstrip().startswith("5.7.")


def final(error: Exception) -> bool:
    """Whether trying this mail again cannot help: the server refused it for good."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(_final_answer(code, text) for code, text in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def about_the_server(error: Exception) -> bool:
    """A failure every mail of the round would meet (connection, login, our sender)."""
    return not isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError)


def _mark_sent(mail: OutgoingMail) -> None:
    OutgoingMail.objects.filter(
        pk=mail.pk, status=OutgoingMail.Status.QUEUED, attempts=mail.attempts
    ).update(
        status=OutgoingMail.Status.SENT,
        sent_at=now(),
        last_error="",
        body=without_status_tokens(mail.body),  # rule 14: the token left with the mail
    )


@dataclass
class Round:
    """What a send round did, for its log line and the admins."""

    sent: int = 0
    retrying: int = 0
    given_up: int = 0
    retry_until: datetime | None = None
    error: str = ""

    def failed(self, mail: OutgoingMail, error: Exception) -> None:
        """Schedule the next attempt, or mark the mail failed for good (the module's step 3)."""
        moment = now()
        text = f"{type(error).__name__}: {error}"[:2000]
        give_up_at = mail.created_at + retry_for()
        give_up = final(error) or moment >= give_up_at
        OutgoingMail.objects.filter(
            pk=mail.pk, status=OutgoingMail.Status.QUEUED, attempts=mail.attempts
        ).update(
            status=OutgoingMail.Status.FAILED if give_up else OutgoingMail.Status.QUEUED,
            next_attempt_at=min(moment + retry_delay(mail.attempts), give_up_at),
            last_error=text,
        )
        self.error = text
        if give_up:
            self.given_up += 1
            log.warning(
                "gave up on mail %s to %s after %d attempts: %s",
                mail.pk,
                mail.to,
                mail.attempts,
                text,
            )
        else:
            self.retrying += 1
            self.retry_until = max(self.retry_until or give_up_at, give_up_at)

    def tell(self) -> None:
        if self.retrying or self.given_up:
            log.error(
                "outgoing mail failed (%d to retry, %d given up): %s",
                self.retrying,
                self.given_up,
                self.error,
            )
            sending_failed.send(
                sender=OutgoingMail,
                error=self.error,
                retrying=self.retrying,
                retry_until=self.retry_until,
                given_up=self.given_up,
            )


def _send_round(smtp, mails: list[OutgoingMail], done: Round) -> None:
    sender = sender_address()
    for index, mail in enumerate(mails):
        try:
            message = as_email(mail, sender)
        except Exception as error:  # noqa: BLE001 - a file it carries is gone: this mail's trouble
            done.failed(mail, error)
            continue
        try:
            smtp.open()
            smtp.send_messages([message])
        except Exception as error:  # noqa: BLE001 - any failure means "try again later"
            done.failed(mail, error)
            with contextlib.suppress(Exception):  # closing a dead connection may fail too
                smtp.close()  # a broken connection is reopened for the next mail
            if about_the_server(error):
                for waiting in mails[index + 1 :]:  # not tried: the server would say the same
                    done.failed(waiting, error)
                return
        else:
            _mark_sent(mail)
            done.sent += 1


def handle_one_send_batch(limit: int | None = None) -> bool:
    mails = claim(limit or BATCH_SIZE)
    if not mails:
        return False
    started = time.monotonic()
    done = Round()
    smtp = get_connection(fail_silently=False)
    try:
        _send_round(smtp, mails, done)
    finally:
        with contextlib.suppress(Exception):  # the connection may already be gone
            smtp.close()
    log.info(
        "sent %d mails, %d to retry, %d given up in %.2f s",
        done.sent,
        done.retrying,
        done.given_up,
        time.monotonic() - started,
    )
    done.tell()
    return True
