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

from relaydesk.cases.models import Case, Event, EventKind
from relaydesk.clock import now
from relaydesk.clock.words import promise_words
from relaydesk.intake.mail.threads import outgoing_headers
from relaydesk.org.company import company_time_zone
from relaydesk.outbox.queue import queue_mail


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

    Read from the last hour of "acknowledged" events (index event_kind_time_idx), so the cost
    follows the hour's volume, not the whole history of mail ever sent.
    """
    since = now() - timedelta(hours=1)
    return Event.objects.filter(
        kind=EventKind.ACKNOWLEDGED, at__gte=since, case__customer__email__iexact=address.strip()
    ).count()


def _not_sent(case: Case, why: str) -> Event:
    return Event.objects.create(
        case=case,
        kind=EventKind.WARNING,
        at=now(),
        body=f"No acknowledgement was sent: {why}",
        data={"acknowledgement": "not_sent", "why": why},
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
    event = Event.objects.create(
        case=case,
        kind=EventKind.ACKNOWLEDGED,
        at=now(),
        body=body,
        data={"to": case.customer.email, "subject": subject, "headers": headers},
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
