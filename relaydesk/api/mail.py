"""The mail quarantine over the API: what is held, and why (leads and admins)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from relaydesk.api.auth import require_lead
from relaydesk.api.schemas import ErrorOut
from relaydesk.intake.mail.quarantine import held

router = Router(tags=["mail"])

LIST_LIMIT = 500


class QuarantineOut(Schema):
    id: int
    received_at: datetime
    sender: str
    subject: str
    reason: str


@router.get(
    "/quarantine",
    response={200: list[QuarantineOut], 401: ErrorOut, 403: ErrorOut},
    summary="Held messages, newest first (at most 500)",
)
def quarantine(request: HttpRequest):
    require_lead(request)
    return [
        {
            "id": entry.pk,
            "received_at": entry.received_at,
            "sender": entry.sender,
            "subject": entry.subject,
            "reason": entry.reason,
        }
        for entry in held()[:LIST_LIMIT]
    ]
