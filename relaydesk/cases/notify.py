"""Telling a staff member something about a case: a bell line and an email via the outbox.

Called inside an action's transaction, so the notification exists exactly when its event does.
"""

from django.conf import settings

from relaydesk.cases.models import Case, Event, Notification
from relaydesk.clock import now
from relaydesk.outbox.queue import queue_mail

LINE_LIMIT = 300  # Notification.text and OutgoingMail.subject


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def notify(user, *, case: Case, event: Event, text: str) -> Notification:
    """The line quotes case subjects, which may be long: both the bell line and the mail
    subject are shortened to fit their columns (PostgreSQL refuses an overlong value)."""
    notification = Notification.objects.create(
        user=user, case=case, event=event, text=shorten(text, LINE_LIMIT), created_at=now()
    )
    if user.email:
        queue_mail(
            to=user.email,
            subject=shorten(f"[{case.ref}] {text}", LINE_LIMIT),
            body=f"{text}\n\n{case.subject}\n\n{settings.BASE_URL}/cases/{case.ref}\n",
            case=case,
            event=event,
            automatic=True,
        )
    return notification
