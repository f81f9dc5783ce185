"""Telling a staff member something about a case: a bell line and an email via the outbox.

Called inside an action's transaction, so the notification exists exactly when its event does.
"""

from django.conf import settings

from relaydesk.cases.models import Case, Event, Notification
from relaydesk.clock import now
from relaydesk.outbox.queue import queue_mail


def notify(user, *, case: Case, event: Event, text: str) -> Notification:
    notification = Notification.objects.create(
        user=user, case=case, event=event, text=text, created_at=now()
    )
    if user.email:
        queue_mail(
            to=user.email,
            subject=f"[{case.ref}] {text}",
            body=f"{text}\n\n{case.subject}\n\n{settings.BASE_URL}/cases/{case.ref}\n",
            case=case,
            event=event,
            automatic=True,
        )
    return notification
