"""Telling a staff member something about a case: a bell line and an email via the outbox.

Called inside an action's transaction, so the notification exists exactly when its event does.
"""

from django.conf import settings

from relaydesk import rows
from relaydesk.cases.models import Case, Event, Notification
from relaydesk.outbox.models import OutgoingMail
from relaydesk.outbox.queue import make_message_id

LINE_LIMIT = 300  # Notification.text and OutgoingMail.subject


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def notification_rows(
    user, *, case: Case, event: Event, text: str
) -> tuple[Notification, OutgoingMail | None]:
    """The unsaved bell line and mail for one notification; notify() saves one pair, the
    clock's bulk escalation saves many with bulk_create.

    The line quotes case subjects, which may be long: both the bell line and the mail subject
    are shortened to fit their columns (PostgreSQL refuses an overlong value).
    """
    moment = event.at  # the moment of what is being told, read once by the action
    line = rows.new(
        Notification,
        user=user,
        case=case,
        event=event,
        text=shorten(text, LINE_LIMIT),
        created_at=moment,
    )
    if not user.email:
        return line, None
    mail = rows.new(
        OutgoingMail,
        message_id=make_message_id(),
        to=user.email,
        subject=shorten(f"[{case.ref}] {text}", LINE_LIMIT),
        body=f"{text}\n\n{case.subject}\n\n{settings.BASE_URL}/cases/{case.ref}\n",
        automatic=True,
        case=case,
        event=event,
        created_at=moment,
        next_attempt_at=moment,
    )
    return line, mail


def notify(user, *, case: Case, event: Event, text: str) -> Notification:
    line, mail = notification_rows(user, case=case, event=event, text=text)
    rows.insert(line)
    if mail is not None:
        rows.insert(mail)
    return line
