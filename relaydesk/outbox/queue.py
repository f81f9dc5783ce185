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
    message_id: str = "",
    attachments: list[dict] | None = None,
) -> OutgoingMail:
    """`message_id`: one made beforehand (make_message_id), when the event that causes the
    mail records it; `attachments`: files to send with it, as OutgoingMail.attachments says."""
    moment = now()
    return OutgoingMail.objects.create(
        message_id=message_id or make_message_id(),
        to=to,
        subject=subject,
        body=body,
        headers=headers or {},
        attachments=attachments or [],
        automatic=automatic,
        case=case,
        event=event,
        created_at=moment,
        next_attempt_at=moment,
    )
