"""The mail staff write to the customer: replies (rule 10) and the solve mail.

Plain text, threaded under the case's earlier mail with its per-case Reply-To
(relaydesk.cases.mail_threads), the `[RD-n]` tag in the subject and the status link in the
footer. The words around what staff wrote are the company's (relaydesk.org.customer_words:
`reply` and `solve`; ours by default). Queued by the actions (`reply`, `solve`) inside their
transaction; the Message-ID is made first so the action's event can record it. The status
link carries a secret, so it is only in the mail: events keep the words staff wrote, never the
footer.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User

from relaydesk.cases.acknowledgement import about, status_url
from relaydesk.cases.mail_threads import outgoing_headers
from relaydesk.cases.models import Attachment, Case, Event
from relaydesk.cases.uploads import attachments_dir
from relaydesk.org.customer_words import render
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


def _writer(user: User | None) -> str:
    """Staff sign with their first name only, as the status page names them."""
    return (user.first_name if user is not None else "") or "our team"


def reply_text(case: Case, body: str, writer: User | None = None) -> str:
    """The words staff wrote, in the company's reply wrapper (the status link in its footer)."""
    return render(
        "reply", **about(case), reply=body, status_link=status_url(case), writer=_writer(writer)
    )


def solve_text(case: Case, resolution: str) -> str:
    """What was done, in the owner's words, in the company's solve mail (with the survey)."""
    return render(
        "solve",
        **about(case),
        resolution=resolution,
        status_link=status_url(case),
        writer=_writer(case.solved_by),
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
