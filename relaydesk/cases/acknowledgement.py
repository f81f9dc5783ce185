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
from relaydesk.org.customer_words import Words
from relaydesk.org.masks import mask_email
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


def about(case: Case) -> dict[str, str]:
    """What every text the customer reads may say about the case (customer_words.ABOUT_THE_CASE;
    `first_name` follows from `name`, `company` is read when a text uses it)."""
    return {"ref": case.ref, "subject": case.subject or "", "name": case.customer.name}


def acknowledgement_subject(case: Case, words: Words | None = None) -> str:
    """The `[RD-n]` tag, then the company's words on one line (no value can start a header)."""
    words = words or Words.load(["acknowledgement_subject"])
    return f"[{case.ref}] {words.render('acknowledgement_subject', **about(case))}"[:300]


def acknowledgement_text(case: Case, link: str, words: Words | None = None) -> str:
    promise = promise_words(case.deadline, time_zone=company_time_zone(), now=case.opened_at)
    words = words or Words.load(["acknowledgement"])
    return words.render("acknowledgement", **about(case), promise=promise, status_link=link)


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
            case,
            f"{mask_email(case.customer.email)} already had {limit} acknowledgements in the"
            " last hour.",
        )
    words = Words.load(["acknowledgement", "acknowledgement_subject"])
    body = acknowledgement_text(case, status_url(case), words)
    subject = acknowledgement_subject(case, words)
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
