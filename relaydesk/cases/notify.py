"""Telling a staff member something about a case: a bell line at once, a digest mail later.

`notify()` is called inside an action's transaction, so the bell line exists exactly when its
event does. A person with an email address also gets the line by mail, but not one mail per
line: the line waits as "mail pending", and the worker's digest step (`handle_one_digest()`)
sends all of a person's pending lines as ONE mail once the oldest of them is
RELAYDESK_DIGEST_MINUTES old (default 5). So a storm (hundreds of cases passing their deadline
at once, or a morning of reminders after the worker was down) gives the executive one mail per
window listing their cases, while the bell still shows each line. The price is honest and
small: every staff notification mail arrives up to that many minutes (plus the worker's pause)
after the bell line; 0 mails whatever is pending at the worker's next round.

The digest covers every staff notification (escalations, reminders, passes, the customer
writing …), not escalations only: storms come from tickles and passes too, and one way to mail
staff is simpler than two. Mail to customers (acknowledgements, replies) never waits here.

Exactly once, however many workers run: the step claims the pending lines with
`select_for_update(skip_locked=True)` (PostgreSQL; on SQLite the IMMEDIATE transaction's write
lock serializes workers) and, in the same transaction, queues the digest in the outbox and
marks the lines with it (`Notification.mail`). The outbox then sends it like any other mail.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from relaydesk.cases.models import Case, Event, Notification
from relaydesk.org.addresses import base_url
from relaydesk.org.masks import mask_addresses
from relaydesk.outbox.models import OutgoingMail
from relaydesk.outbox.queue import queue_mail
from relaydesk.timekeeping import now

LINE_LIMIT = 300  # Notification.text and OutgoingMail.subject
LISTED = 100  # lines written out in one digest; the rest are counted and on the bell page
UPDATE_CHUNK = 10_000  # ids per UPDATE: below SQLite's parameter limit (32,766)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def digest_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "DIGEST_MINUTES", 5))


def notify(user: User, *, case: Case, event: Event, text: str) -> Notification:
    """A bell line for `user` about `case`; their mail follows in the next digest.

    The line quotes case subjects, which may be long, so it is shortened to fit its column
    (PostgreSQL refuses an overlong value).
    """
    return Notification.objects.create(
        user=user,
        case=case,
        event=event,
        text=shorten(text, LINE_LIMIT),
        created_at=event.at,  # the moment of what is being told, read once by the action
        mail_pending=bool(user.email),
    )


def _link(line: Notification) -> str:
    if line.case is None:
        return f"{base_url()}/notifications/"
    return f"{base_url()}/cases/{line.case.ref}"


def digest_mail(lines: list[Notification]) -> tuple[str, str]:
    """The subject and body of one person's digest. One line reads as a mail of its own.

    Every address a line or a case's subject quotes is masked (rule 15: whole only on the
    case page); the lines are stored whole so that erasing a customer can still find them."""
    first = lines[0]
    first_text = mask_addresses(first.text)
    if len(lines) == 1:
        if first.case is None:
            return shorten(first_text, LINE_LIMIT), f"{first_text}\n\n{_link(first)}\n"
        return (
            shorten(f"[{first.case.ref}] {first_text}", LINE_LIMIT),
            f"{first_text}\n\n{mask_addresses(first.case.subject)}\n\n{_link(first)}\n",
        )
    subject = shorten(f"{len(lines)} updates for you, first: {first_text}", LINE_LIMIT)
    listed = "\n\n".join(f"{mask_addresses(line.text)}\n{_link(line)}" for line in lines[:LISTED])
    body = f"{len(lines)} updates for you since your last mail, oldest first:\n\n{listed}\n"
    if len(lines) > LISTED:
        body += (
            f"\n… and {len(lines) - LISTED} more: {base_url()}/notifications/ "
            "(and each case in your queue)\n"
        )
    return subject, body


def handle_one_digest() -> bool:
    """A worker step: mail one person their pending lines if the oldest is a window old.

    True when a digest was made ("call me again": another person may be due too).
    """
    with transaction.atomic():
        moment = now()
        pending = Notification.objects.filter(mail_pending=True).select_for_update(
            skip_locked=True, of=("self",)
        )
        user_id = (
            pending.filter(created_at__lte=moment - digest_window())
            .order_by("created_at")
            .values_list("user_id", flat=True)
            .first()
        )
        if user_id is None:
            return False
        lines = list(
            pending.filter(user_id=user_id)
            .select_related("case", "user")
            .order_by("created_at", "id")
        )
        mail: OutgoingMail | None = None
        address = lines[0].user.email
        if address:  # it may have been removed since the lines were written
            subject, body = digest_mail(lines)
            single = lines[0] if len(lines) == 1 else None
            mail = queue_mail(
                to=address,
                subject=subject,
                body=body,
                case=single.case if single else None,
                event=single.event if single else None,
                automatic=True,
            )
        ids = [line.pk for line in lines]
        for start in range(0, len(ids), UPDATE_CHUNK):
            Notification.objects.filter(pk__in=ids[start : start + UPDATE_CHUNK]).update(
                mail_pending=False, mail=mail
            )
    return True


def next_digest_at() -> datetime | None:
    """When the next digest falls due (for the worker's sleep), or None with nothing pending."""
    oldest = (
        Notification.objects.filter(mail_pending=True)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return None if oldest is None else oldest + digest_window()
