"""The mail staff write to the customer: replies (rule 10) and the solve mail.

Plain text, threaded under the case's earlier mail with its per-case Reply-To
(relaydesk.cases.mail_threads), the `[RD-n]` tag in the subject and the status link in the
footer. Queued by the actions (`reply`, `solve`) inside their transaction; the Message-ID is
made first so the action's event can record it. The status link carries a secret, so it is
only in the mail: events keep the words staff wrote, never the footer.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from relaydesk.cases.acknowledgement import status_url
from relaydesk.cases.mail_threads import outgoing_headers
from relaydesk.cases.models import Attachment, Case, Event
from relaydesk.cases.uploads import attachments_dir
from relaydesk.outbox.queue import make_message_id, queue_mail


@dataclass(frozen=True)
class Addressed:
    """Who a mail about a case goes to, under which subject and Message-ID (for the event)."""

    to: str
    subject: str
    message_id: str

    def as_data(self) -> dict:
        return {"to": self.to, "subject": self.subject, "message_id": self.message_id}


def case_subject(case: Case) -> str:
    """`[RD-1042] <the case's subject>` on one line (the subject goes into a header)."""
    subject = " ".join((case.subject or "").split())
    return f"[{case.ref}] {subject}"[:300]


def addressed(case: Case) -> Addressed:
    return Addressed(case.customer.email, case_subject(case), make_message_id())


def footer(case: Case) -> str:
    return (
        "\n\n-- \n"
        f"Follow your case {case.ref} here: {status_url(case)}\n"
        f"Reply to this mail to answer us; keep {case.ref} in the subject.\n"
    )


def reply_text(case: Case, body: str) -> str:
    return f"{body}{footer(case)}"


def solve_text(case: Case, resolution: str) -> str:
    return (
        f"Dear {case.customer.name},\n\n"
        f"Your case {case.ref} is solved. This is what we did:\n\n"
        f"{resolution}\n\n"
        "If anything is still not right, reply to this mail or use the link below; "
        "we reopen your case.\n\n"
        "How did we do? On your case's page (the link below) you can rate our help from 1 "
        "to 5 and tell us what delighted you and what we should fix: two minutes, once. "
        "Opening the link records nothing; only your answer does."
        f"{footer(case)}"
    )


def mail_files(attachments: Sequence[Attachment]) -> list[dict]:
    """The outbox's record of files kept by relaydesk.cases.uploads (OutgoingMail.attachments)."""
    folder = attachments_dir().name
    return [
        {
            "path": f"{folder}/{attachment.stored_name}",
            "name": attachment.original_name,
            "content_type": attachment.content_type,
        }
        for attachment in attachments
    ]


def send(
    case: Case,
    event: Event,
    mail: Addressed,
    *,
    text: str,
    attachments: Sequence[Attachment] = (),
) -> None:
    """Queue `text` to the customer as `mail` says, threaded under the case's earlier mail."""
    queue_mail(
        to=mail.to,
        subject=mail.subject,
        body=text,
        case=case,
        event=event,
        headers=outgoing_headers(case),
        message_id=mail.message_id,
        attachments=mail_files(attachments),
    )
