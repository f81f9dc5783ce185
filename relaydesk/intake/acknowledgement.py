"""The acknowledgement: the customer hears the problem is real, by when, and where to follow it."""

from django.conf import settings

from relaydesk.cases.models import Case, Event, EventKind
from relaydesk.clock import now
from relaydesk.clock.words import promise_words
from relaydesk.org.company import company_time_zone
from relaydesk.outbox.queue import queue_mail


def status_url(case: Case) -> str:
    return f"{settings.BASE_URL}/status/{case.status_token}"


def acknowledgement_text(case: Case) -> str:
    promise = promise_words(case.deadline, time_zone=company_time_zone(), now=case.opened_at)
    return (
        f"Dear {case.customer.name},\n\n"
        f"Thank you for telling us about this. Your problem is real and we will deal with it: "
        f"your case is {case.ref} and you will have our answer {promise}.\n\n"
        f"You can follow your case, add to it or reply at any time here:\n{status_url(case)}\n\n"
        f"Or simply reply to this email.\n"
    )


def acknowledge(case: Case) -> Event | None:
    """Queue the acknowledgement and record exactly what was sent (inside the caller's atomic)."""
    if not case.customer.email:
        return None
    body = acknowledgement_text(case)
    subject = f"[{case.ref}] We have your case: {case.subject}"
    event = Event.objects.create(
        case=case,
        kind=EventKind.ACKNOWLEDGED,
        at=now(),
        body=body,
        data={"to": case.customer.email, "subject": subject},
    )
    queue_mail(
        to=case.customer.email,
        subject=subject,
        body=body,
        case=case,
        event=event,
        automatic=True,
    )
    return event
