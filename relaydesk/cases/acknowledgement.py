"""The acknowledgement: the customer hears the problem is real, by when, and where to follow it.

Every channel's new case gets one, queued by open_case in the opening transaction. Never to a
machine: email intake passes `suppressed=` (why) for automatic mail, and at most
MAIL_ACKS_PER_SENDER_PER_HOUR go to one address in an hour, so two auto-responders cannot
keep each other busy. When none is sent, the timeline says why.
"""

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings

from relaydesk.cases import status_links
from relaydesk.cases.mail_threads import outgoing_headers
from relaydesk.cases.models import Case, Event, EventKind
from relaydesk.cases.words import promise_words
from relaydesk.org.company import company_time_zone
from relaydesk.outbox.queue import queue_mail
from relaydesk.timekeeping import now


def status_url(case: Case) -> str:
    """A new status link for `case` (rule 14: its row keeps only the token's hash), as the
    mail that carries it writes it. Call it inside the action's transaction, once per mail.

    Secrets never go into events (DESIGN.md): an event keeps the mail with the token masked
    (status_links.without_tokens), and only the mail itself carries it."""
    url = status_links.url_for(status_links.issue(case, now()))
    case.issued_status_url = url
    return url


def acknowledgement_subject(case: Case) -> str:
    return f"[{case.ref}] We have your case: {case.subject}"[:300]


def acknowledgement_text(case: Case, link: str) -> str:
    promise = promise_words(case.deadline, time_zone=company_time_zone(), now=case.opened_at)
    return (
        f"Dear {case.customer.name},\n\n"
        f"Thank you for telling us about this. Your problem is real and we will deal with it: "
        f"your case is {case.ref} and you will have our answer {promise}.\n\n"
        f"You can follow your case, add to it or reply at any time here:\n{link}\n\n"
        f"Or simply reply to this email; keep {case.ref} in the subject.\n"
    )


def recent_acknowledgements(address: str) -> int:
    """Acknowledgements sent to `address` in the last hour.

    Counted from the address's customers' cases opened in the last hour (customer email index,
    case customer index, then event_case_time_idx), so the cost follows what this one address
    did, not the volume of the hour: an acknowledgement is written with its case, so older
    cases have none to count. Addresses are stored lower-case (find_or_create_customer).
    """
    since = now() - timedelta(hours=1)
    return Event.objects.filter(
        case__customer__email=address.strip().lower(),
        case__opened_at__gte=since,
        at__gte=since,
        kind=EventKind.ACKNOWLEDGED,
    ).count()


def _not_sent(case: Case, why: str) -> Event:
    return Event.objects.create(
        case=case,
        kind=EventKind.WARNING,
        at=case.opened_at,
        body=f"No acknowledgement was sent: {why}",
        data={"acknowledgement": "not_sent", "why": why},
    )


def acknowledge(
    case: Case, *, in_reply_to: str = "", references: Sequence[str] = (), suppressed: str = ""
) -> Event | None:
    """Queue the acknowledgement and record what was sent, at the moment the case opened
    (inside open_case's transaction).

    `in_reply_to` and `references` thread it under the message the case came from (mail);
    `suppressed` says why none may be sent (the message was automatic)."""
    if not case.customer.email:
        return None
    if suppressed:
        return _not_sent(case, f"the message was automatic ({suppressed}).")
    limit = settings.MAIL_ACKS_PER_SENDER_PER_HOUR
    if recent_acknowledgements(case.customer.email) >= limit:
        return _not_sent(
            case, f"{case.customer.email} already had {limit} acknowledgements in the last hour."
        )
    body = acknowledgement_text(case, status_url(case))
    subject = acknowledgement_subject(case)
    headers = outgoing_headers(
        case, in_reply_to=in_reply_to, references=list(references), first=True
    )
    headers["Auto-Submitted"] = "auto-replied"  # RFC 3834: auto-responders must not answer
    headers["X-Auto-Response-Suppress"] = "All"  # and Exchange's out-of-office neither
    event = Event.objects.create(
        case=case,
        kind=EventKind.ACKNOWLEDGED,
        at=case.opened_at,
        body=status_links.without_tokens(body),
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
