"""Erasing a customer (DESIGN rule 15): the one action that rewrites history's words.

The person is anonymised: their row (name, email, phone), their words in their cases' events
(what they wrote, survey words, the files' names), the places staff words quote their name,
address or number (replies, notes, notifications, case text), their surveys' words, the files
that came with their cases (deleted; rows kept, renamed) and the mail sent to them. Who did
what and when stays: every case, event, time, owner, kind and rating, so every figure of the
trail stays as it was. Each case gets a `warning` event (reason `customer_erased`) saying so.

Raw inbound mail belongs to intake, a room above this one: `customer_erased` is sent inside
the same transaction and intake's receiver (relaydesk.intake.mail.forget) deletes the raw
messages, keeping a hash of each message's key so a redelivery is still recognised.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.dispatch import Signal

from relaydesk.cases import actions
from relaydesk.cases.errors import Incomplete
from relaydesk.cases.models import (
    Attachment,
    Case,
    Channel,
    Customer,
    Event,
    EventKind,
    Notification,
    StatusLink,
    SurveyAnswer,
)
from relaydesk.cases.uploads import attachments_dir
from relaydesk.goodwill.models import Gesture
from relaydesk.outbox.models import OutgoingMail
from relaydesk.timekeeping import now

MARKER = "[erased]"
ERASED_NAME = "Erased customer"
REASON = "customer_erased"
# Sent inside erase_customer's transaction, before the customer row is anonymised:
# customer (the row), emails (every address they had), case_ids (their cases).
customer_erased = Signal()

# Events whose body is the customer's own words (REOPENED only when they reopened it).
_THEIR_WORDS = {EventKind.CUSTOMER_WROTE, EventKind.MAIL_ATTACHED, EventKind.SURVEY}
_THEIR_DATA_KEYS = ("subject", "from", "what_delighted", "fix")
_THEIR_CHANNELS = {Channel.EMAIL, Channel.WEB}


@dataclass(frozen=True)
class Erased:
    customer_id: int
    cases: int
    events: int
    files: int


class _Scrub:
    """Replaces the person's names (whole, and each part of three letters or more as a word),
    email addresses and phone numbers in texts with the marker."""

    def __init__(self, identities: list[tuple[str, str, str]]):
        literals = {item for identity in identities for item in identity if item}
        parts = {
            part
            for name, _, _ in identities
            for part in re.split(r"[\s,.]+", name or "")
            if len(part) >= 3
        }
        words = [re.escape(item) for item in sorted(literals, key=len, reverse=True)]
        words += [rf"\b{re.escape(part)}\b" for part in sorted(parts)]
        self.pattern = re.compile("|".join(words), re.IGNORECASE) if words else None

    def text(self, value: str) -> str:
        if not value or self.pattern is None:
            return value
        return self.pattern.sub(MARKER, value)

    def data(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.data(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.data(item) for item in value]
        return value


def _without_file_names(value):
    """Attachment references ({"id", "name"} in event data, uploads in details) by id only."""
    if isinstance(value, dict):
        if "name" in value and ("id" in value or "attachment" in value):
            return {**value, "name": MARKER}
        return {key: _without_file_names(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_file_names(item) for item in value]
    return value


def _in_their_words(case: Case) -> bool:
    """A case the customer opened themselves (mail, the contact form): its subject is theirs."""
    return case.channel in _THEIR_CHANNELS


def _theirs(event: Event, case: Case) -> bool:
    if event.kind in _THEIR_WORDS:
        return True
    if event.kind == EventKind.OPENED:
        return _in_their_words(case)  # the opening's body is the case's subject
    return event.kind == EventKind.REOPENED and (event.data or {}).get("by") == "customer"


def _erased_event(event: Event, case: Case, scrub: _Scrub) -> tuple[str, dict]:
    data = _without_file_names(scrub.data(event.data or {}))
    if _theirs(event, case):
        body = MARKER if event.body else ""
        for key in _THEIR_DATA_KEYS:
            if isinstance(data.get(key), str) and data[key]:
                data[key] = MARKER
        return body, data
    return scrub.text(event.body), data


def _erase_events(cases: list[Case], scrub: _Scrub) -> int:
    changed, by_id = 0, {case.pk: case for case in cases}
    for event in Event.objects.filter(case_id__in=list(by_id)).order_by("id").iterator():
        body, data = _erased_event(event, by_id[event.case_id], scrub)
        if body != event.body or data != (event.data or {}):
            Event.objects.filter(pk=event.pk).overwrite_erased_words(body=body, data=data)
            changed += 1
    return changed


def _erase_cases(cases: list[Case], scrub: _Scrub, moment) -> None:
    for case in cases:
        case.subject = MARKER if _in_their_words(case) else scrub.text(case.subject)
        case.real_need = scrub.text(case.real_need)
        case.resolution = scrub.text(case.resolution)
        case.details = _without_file_names(scrub.data(case.details))
        case.save(update_fields=["subject", "real_need", "resolution", "details"])
    StatusLink.objects.filter(case__in=cases, revoked_at__isnull=True).update(revoked_at=moment)
    for note in Notification.objects.filter(case__in=cases).only("pk", "text"):
        Notification.objects.filter(pk=note.pk).update(text=scrub.text(note.text))
    for gesture in Gesture.objects.filter(case__in=cases).only("pk", "note", "why_declined"):
        Gesture.objects.filter(pk=gesture.pk).update(
            note=scrub.text(gesture.note), why_declined=scrub.text(gesture.why_declined)
        )
    for answer in SurveyAnswer.objects.filter(case__in=cases).only("pk", "delighted", "fix"):
        SurveyAnswer.objects.filter(pk=answer.pk).update(
            delighted=MARKER if answer.delighted else "", fix=MARKER if answer.fix else ""
        )


def _erase_mail(cases: list[Case], scrub: _Scrub, emails: list[str]) -> None:
    """Mail to them: the address gone, their name out of the words; what was not yet sent
    is not sent (there is nobody to send it to any more)."""
    addresses = {email.lower() for email in emails}
    mails = OutgoingMail.objects.filter(case__in=cases).only(
        "pk", "to", "subject", "body", "headers"
    )
    for mail in mails:
        OutgoingMail.objects.filter(pk=mail.pk).update(
            to="" if mail.to.lower() in addresses else mail.to,
            subject=scrub.text(mail.subject)[:300],
            body=scrub.text(mail.body),
            headers=scrub.data(mail.headers or {}),
        )
    OutgoingMail.objects.filter(case__in=cases, to="", status=OutgoingMail.Status.QUEUED).update(
        status=OutgoingMail.Status.FAILED,
        last_error="Not sent: the customer's data was erased before it went.",
    )


def _erase_files(cases: list[Case]) -> tuple[int, Callable[[], None]]:
    """Rows renamed now; the files deleted once the erasure is committed (the callback)."""
    rows = Attachment.objects.filter(case__in=cases)
    names = list(rows.values_list("stored_name", flat=True))
    rows.update(original_name=MARKER, content_type="application/octet-stream")

    def delete_files() -> None:
        folder = attachments_dir()
        for name in names:
            if name and "/" not in name and not name.startswith("."):
                (folder / name).unlink(missing_ok=True)

    return len(names), delete_files


def _identities(customer: Customer, merged: list[Customer]) -> list[tuple[str, str, str]]:
    """(name, email, phone) of the person: their row, the rows merged into it
    (relaydesk.cases.merging) and the contact details those rows left in `other_contacts`."""
    rows = [customer, *merged]
    found = [(row.name, row.email, row.phone) for row in rows]
    for row in rows:
        for other in row.other_contacts or []:
            if isinstance(other, dict):
                name, email, phone = (
                    str(other.get(key) or "") for key in ("name", "email", "phone")
                )
                found.append((name, email, phone))
    return found


def _is_erased(customer: Customer) -> bool:
    return customer.name == ERASED_NAME and not (
        customer.email or customer.phone or customer.other_contacts
    )


def _anonymise(rows: list[Customer]) -> None:
    for row in rows:
        row.name, row.email, row.phone, row.other_contacts = ERASED_NAME, "", "", []
        row.save(update_fields=["name", "email", "phone", "other_contacts"])


def erase_customer(customer: Customer, *, acting: User | None, why: str) -> Erased:
    """Rule 15: anonymise `customer` (and the rows merged into theirs) everywhere their data
    is kept (see the module). `acting` None means the system (the retention step); `why` is
    recorded on each case."""
    why = actions.one_line(why).strip()[:500]
    if not why:
        raise Incomplete("Say why the customer is erased.", fields={"why": "Required."})
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if _is_erased(customer):
            return Erased(customer.pk, 0, 0, 0)  # erased already (by another worker, say)
        merged = list(Customer.objects.select_for_update().filter(merged_into=customer))
        identities = _identities(customer, merged)
        emails = sorted({email for _, email, _ in identities if email})
        cases = list(Case.objects.filter(customer__in=[customer, *merged]).order_by("id"))
        scrub, moment = _Scrub(identities), now()
        events = _erase_events(cases, scrub)
        _erase_cases(cases, scrub, moment)
        _erase_mail(cases, scrub, emails)
        files, delete_files = _erase_files(cases)
        customer_erased.send(
            sender=Customer, customer=customer, emails=emails, case_ids=[c.pk for c in cases]
        )
        _anonymise([customer, *merged])
        for case in cases:
            actions._event(  # noqa: SLF001 - the actions' one event writer, shared on purpose
                case,
                EventKind.WARNING,
                moment,
                acting,
                reason=REASON,
                body=f"The customer's personal data was erased: {why}",
                data={"erased": True},
            )
        transaction.on_commit(delete_files)
    return Erased(customer.pk, len(cases), events, files)
