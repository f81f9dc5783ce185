"""Queueing mail: called inside an action's transaction; the worker sends it later."""

import secrets

from django.conf import settings

from relaydesk.outbox.models import OutgoingMail
from relaydesk.timekeeping import now


def make_message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "relaydesk.localhost"
    return f"<rd.{secrets.token_hex(12)}@{domain}>"


def queue_mail(
    *,
    to: str,
    subject: str,
    body: str,
    case=None,
    event=None,
    headers: dict | None = None,
    automatic: bool = False,
) -> OutgoingMail:
    moment = now()
    return OutgoingMail.objects.create(
        message_id=make_message_id(),
        to=to,
        subject=subject,
        body=body,
        headers=headers or {},
        automatic=automatic,
        case=case,
        event=event,
        created_at=moment,
        next_attempt_at=moment,
    )
