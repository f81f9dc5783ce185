"""The acknowledgement: the customer hears the problem is real, by when, and where to follow it.

Every channel's new case gets one (queued in the opening transaction). Never to a machine:
email intake sets `ack_context(suppress=…)` for automatic mail, and at most
MAIL_ACKS_PER_SENDER_PER_HOUR go to one address in an hour, so two auto-responders cannot
keep each other busy. When none is sent, the timeline says why.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection

from relaydesk import rows
from relaydesk.cases.mail_threads import outgoing_headers
from relaydesk.cases.models import Case, Event, EventKind
from relaydesk.cases.words import promise_words
from relaydesk.org.company import company_time_zone
from relaydesk.outbox.queue import queue_mail
from relaydesk.timekeeping import now


@dataclass
class AckContext:
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    suppress: str = ""  # why no acknowledgement may be sent (automatic mail)


_context: ContextVar[AckContext | None] = ContextVar("relaydesk_ack_context", default=None)


@contextmanager
def ack_context(
    *, in_reply_to: str = "", references: list[str] = (), suppress: str = ""
) -> Iterator[None]:
    """Cases opened inside this block answer the message they came from (threading headers),
    or get no acknowledgement at all when `suppress` says why."""
    token = _context.set(AckContext(in_reply_to, list(references), suppress))
    try:
        yield
    finally:
        _context.reset(token)


def status_url(case: Case) -> str:
    return f"{settings.BASE_URL}/status/{case.status_token}"


def acknowledgement_subject(case: Case) -> str:
    return f"[{case.ref}] We have your case: {case.subject}"[:300]


def acknowledgement_text(case: Case) -> str:
    promise = promise_words(case.deadline, time_zone=company_time_zone(), now=case.opened_at)
    return (
        f"Dear {case.customer.name},\n\n"
        f"Thank you for telling us about this. Your problem is real and we will deal with it: "
        f"your case is {case.ref} and you will have our answer {promise}.\n\n"
        f"You can follow your case, add to it or reply at any time here:\n{status_url(case)}\n\n"
        f"Or simply reply to this email; keep {case.ref} in the subject.\n"
    )


def recent_acknowledgements(address: str) -> int:
    """Acknowledgements sent to `address` in the last hour.

    Counted from the address's customers' cases opened in the last hour (customer email index,
    case customer index, then event_case_time_idx), so the cost follows what this one address
    did, not the volume of the hour: an acknowledgement is written with its case, so older
    cases have none to count. Addresses are stored lower-case (find_or_create_customer).
    Every new case from an email address asks this, so it is a fixed statement: the ORM
    would compile the same three-table query each time for more than it costs to run.
    """
    since = connection.ops.adapt_datetimefield_value(now() - timedelta(hours=1))
    params = [address.strip().lower(), since, since, EventKind.ACKNOWLEDGED.value]
    return rows.fetch(connection, RECENT_ACKNOWLEDGEMENTS, params)[0][0]


RECENT_ACKNOWLEDGEMENTS = """
    SELECT COUNT(*) FROM cases_event AS e
    JOIN cases_case AS c ON c.id = e.case_id
    JOIN cases_customer AS cu ON cu.id = c.customer_id
    WHERE cu.email = %s AND c.opened_at >= %s AND e.at >= %s AND e.kind = %s
"""


def _not_sent(case: Case, why: str) -> Event:
    return rows.insert(
        rows.new(
            Event,
            case=case,
            kind=EventKind.WARNING,
            at=now(),
            body=f"No acknowledgement was sent: {why}",
            data={"acknowledgement": "not_sent", "why": why},
        )
    )


def acknowledge(case: Case) -> Event | None:
    """Queue the acknowledgement and record exactly what was sent (inside the caller's atomic)."""
    if not case.customer.email:
        return None
    context = _context.get() or AckContext()
    if context.suppress:
        return _not_sent(case, f"the message was automatic ({context.suppress}).")
    limit = settings.MAIL_ACKS_PER_SENDER_PER_HOUR
    if recent_acknowledgements(case.customer.email) >= limit:
        return _not_sent(
            case, f"{case.customer.email} already had {limit} acknowledgements in the last hour."
        )
    body = acknowledgement_text(case)
    subject = acknowledgement_subject(case)
    headers = outgoing_headers(
        case, in_reply_to=context.in_reply_to, references=context.references, first=True
    )
    headers["Auto-Submitted"] = "auto-replied"  # RFC 3834: auto-responders must not answer
    headers["X-Auto-Response-Suppress"] = "All"  # and Exchange's out-of-office neither
    event = rows.insert(
        rows.new(
            Event,
            case=case,
            kind=EventKind.ACKNOWLEDGED,
            at=now(),
            body=body,
            data={"to": case.customer.email, "subject": subject, "headers": headers},
        )
    )
    queue_mail(
        to=case.customer.email,
        subject=subject,
        body=body,
        case=case,
        event=event,
        headers=headers,
        automatic=True,
    )
    return event
