"""The same case twice, and the same person twice: merging cases and merging customers.

`merge_cases`: a duplicate joins the case that is kept. Its words (what the customer asked,
really needs and wrote, the details the kept case lacks), its files and its live status links
go to the kept case; its history stays where it is (events are append-only): a
`merged_into` event ends the duplicate (not solved: the trail never counts it as a solve) and
a `merged_from` event on the kept case carries the words. From then on, mail to the
duplicate's reply address or answering its Message-IDs lands on the kept case (`kept_case`,
asked by relaydesk.intake), and its status link shows the kept case. The customer gets one
mail, from the kept case.

`merge_customers`: two customer rows that are one person. The cases move to the kept row
(an event on each), the other row stays as it was, pointing at the kept one, and the kept row
records its contact details; opening a case for its email or phone finds the kept row.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from relaydesk.cases import customer_mail
from relaydesk.cases.actions import (
    ACTIVITY_FIELDS,
    MAX_NOTE,
    _end_waiting,
    _event,
    _locked,
    _owner_acted,
    name_of,
    staff_of,
)
from relaydesk.cases.dismissal import NotAllowed, may_end
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import (
    Attachment,
    Case,
    Customer,
    Event,
    EventKind,
    Status,
    StatusLink,
)
from relaydesk.cases.notify import notify
from relaydesk.org.permissions import is_lead
from relaydesk.timekeeping import now

MERGED_MAIL = (
    "You wrote to us about this twice, so we have put {duplicate} ({subject}) together with "
    "{kept}: we answer you here. Your replies to either reach us, and the status link of "
    "{duplicate} shows {kept} from now on."
)


def kept_case(case: Case) -> Case:
    """The case that speaks for `case`: itself, or the case it was merged into (one step:
    merge_cases points earlier duplicates at the new kept case too)."""
    into = Case.objects.filter(pk=case.pk).values_list("merged_into", flat=True).first()
    return case if into is None else Case.objects.get(pk=into)


def _both_locked(duplicate: Case, into: Case) -> tuple[Case, Case]:
    """Both rows locked in id order (two merges crossing each other cannot deadlock)."""
    first, second = sorted([duplicate, into], key=lambda case: case.pk)
    locked = {case.pk: _locked(case) for case in (first, second)}
    return locked[duplicate.pk], locked[into.pk]


def _refusal(duplicate: Case, kept: Case, acting: User) -> DomainError | None:
    """Why `duplicate` may not be merged into `kept` by `acting`; None when it may."""
    if duplicate.status == Status.MERGED:
        return DomainError(f"{duplicate.ref} was merged into {duplicate.merged_into} already.")
    if kept.status == Status.MERGED:
        return DomainError(
            f"{kept.ref} was merged into {kept.merged_into}; merge into that case instead."
        )
    for case in (duplicate, kept):
        if not case.is_open:
            status = case.get_status_display().lower()
            return DomainError(
                f"{case.ref} is {status}; only open cases are merged (reopen it first)."
            )
    if duplicate.customer_id != kept.customer_id:
        return DomainError(
            f"{duplicate.ref} is {duplicate.customer.name}'s and {kept.ref} is "
            f"{kept.customer.name}'s; if they are one person, merge the customers first."
        )
    if not (may_end(acting, duplicate) or kept.owner_id == acting.pk):
        return NotAllowed(
            f"Only the owner of {duplicate.ref} or {kept.ref}, or a lead, can merge them."
        )
    return None


def _customer_words(duplicate: Case) -> list[dict[str, Any]]:
    """The duplicate's verified, non-automatic customer messages, oldest first."""
    events = duplicate.events.filter(kind=EventKind.CUSTOMER_WROTE).order_by("at", "id")
    return [
        {
            "at": event.at.isoformat(),
            "body": event.body,
            "message_id": event.data.get("message_id", ""),
            "attachments": event.data.get("attachments", []),
        }
        for event in events
        if event.data.get("verified", True) is not False and not event.data.get("automatic")
    ]


def _details_taken(duplicate: Case, kept: Case) -> tuple[dict, dict]:
    """The duplicate's details: those the kept case lacks (added), and those it has with
    another value (kept as they are, recorded in the event)."""
    added = {k: v for k, v in duplicate.details.items() if kept.details.get(k) in (None, "")}
    differing = {
        k: v for k, v in duplicate.details.items() if k not in added and kept.details.get(k) != v
    }
    return added, differing


def _words_text(duplicate: Case, words: list[dict], added: dict, differing: dict) -> str:
    """The duplicate's words as one readable body for the kept case's timeline."""
    lines = [f"From {duplicate.ref}: {duplicate.subject}"]
    if duplicate.real_need:
        lines.append(f"Really needs: {duplicate.real_need}")
    for key, value in added.items():
        lines.append(f"{key}: {value}")
    for key, value in differing.items():
        lines.append(f"{key} on {duplicate.ref}: {value} (this case's value is kept)")
    for said in words:
        lines.extend(["", f"The customer wrote ({said['at'][:16].replace('T', ' ')}):"])
        lines.append(said["body"])
    return "\n".join(lines)[: MAX_NOTE * 5]


def _end_duplicate(
    duplicate: Case, kept: Case, acting: User, moment: datetime, files: list[dict]
) -> Event:
    """The duplicate ends as merged (its owner stays on it as its last holder); its `files`
    (every file it kept) and live status links move to the kept case."""
    Attachment.objects.filter(case=duplicate).update(case=kept)
    links = StatusLink.objects.filter(case=duplicate, revoked_at__isnull=True).update(case=kept)
    Case.objects.filter(merged_into=duplicate).update(merged_into=kept)
    _end_waiting(duplicate, moment, acting)
    duplicate.status = Status.MERGED
    duplicate.merged_into = kept
    duplicate.last_activity_at = moment
    duplicate.next_tickle_at = None
    duplicate.save(update_fields=["status", "merged_into", *ACTIVITY_FIELDS])
    return _event(
        duplicate,
        EventKind.MERGED_INTO,
        moment,
        acting,
        from_owner=duplicate.owner,
        from_tier=duplicate.tier,
        body=f"Merged into {kept.ref}: the customer's words, files and mail go there now.",
        data={"into": kept.ref, "files_moved": files, "status_links_moved": links},
    )


def _join_kept(
    kept: Case, duplicate: Case, acting: User, moment: datetime, files: list[dict]
) -> Event:
    """The kept case takes the duplicate's words and missing details; the customer is told."""
    words = _customer_words(duplicate)
    added, differing = _details_taken(duplicate, kept)
    kept.details = {**kept.details, **added}
    if kept.owner_id == acting.pk:
        _owner_acted(kept, moment)
        _end_waiting(kept, moment, acting)
    else:
        kept.last_activity_at = moment
    kept.save(update_fields=["details", *ACTIVITY_FIELDS])
    mail = customer_mail.addressed(kept) if kept.customer.email else None
    event = _event(
        kept,
        EventKind.MERGED_FROM,
        moment,
        acting,
        body=_words_text(duplicate, words, added, differing),
        data={
            "from": duplicate.ref,
            "subject": duplicate.subject,
            "real_need": duplicate.real_need,
            "words": words,
            "details_added": added,
            "details_differing": differing,
            "attachments": files,
            "mail": mail.as_data() if mail else None,
        },
    )
    if mail is not None:
        told = MERGED_MAIL.format(duplicate=duplicate.ref, subject=duplicate.subject, kept=kept.ref)
        text = customer_mail.reply_text(kept, told, writer=acting)
        customer_mail.send(kept, event, mail, text=text)
    return event


def merge_cases(duplicate: Case, *, into: Case, acting: User) -> Case:
    """`duplicate` joins `into` (the kept case), which is returned.

    Both must be open and the same customer's (merge the customers first); by the owner of
    either, or a lead, an executive or an admin. One transaction: the duplicate's files, live
    status links and earlier duplicates move to the kept case, the duplicate ends as merged
    (`merged_into`), the kept case gets its words (`merged_from`), the customer one mail from
    the kept case, and the owners who did not do it are told.
    """
    staff_of(acting)
    if duplicate.pk == into.pk:
        raise Incomplete(
            f"{duplicate.ref} cannot be merged into itself.", fields={"into": "Another case."}
        )
    with transaction.atomic():
        duplicate, kept = _both_locked(duplicate, into)
        refusal = _refusal(duplicate, kept, acting)
        if refusal is not None:
            raise refusal
        moment = now()
        files = [
            {"id": pk, "name": name}
            for pk, name in Attachment.objects.filter(case=duplicate)
            .order_by("id")
            .values_list("pk", "original_name")
        ]
        ended = _end_duplicate(duplicate, kept, acting, moment, files)
        joined = _join_kept(kept, duplicate, acting, moment, files)
        told = set()
        for case, event in ((duplicate, ended), (kept, joined)):
            if case.owner is not None and case.owner != acting and case.owner_id not in told:
                told.add(case.owner_id)
                text = f"{name_of(acting)} merged {duplicate.ref} into {kept.ref}"
                notify(case.owner, case=kept, event=event, text=text)
    return kept


# Customers ----------------------------------------------------------------------------------


def _customers_locked(customer: Customer, into: Customer) -> tuple[Customer, Customer]:
    ids = sorted([customer.pk, into.pk])
    rows = Customer.objects.select_for_update().in_bulk(ids)
    return rows[customer.pk], rows[into.pk]


def may_merge_customers(user: User, customer: Customer, into: Customer) -> bool:
    """Leads, executives and admins; or whoever owns an open case of either customer."""
    if is_lead(user):
        return True
    theirs = Case.objects.filter(customer__in=[customer.pk, into.pk], status=Status.OPEN)
    return theirs.filter(owner=user).exists()


def _customer_refusal(customer: Customer, kept: Customer, acting: User) -> DomainError | None:
    if customer.merged_into_id is not None:
        return DomainError(
            f"Customer {customer.pk} ({customer.name}) was merged into customer "
            f"{customer.merged_into_id} already."
        )
    if kept.merged_into_id is not None:
        return DomainError(
            f"Customer {kept.pk} ({kept.name}) was merged into customer {kept.merged_into_id}; "
            "merge into that one instead."
        )
    if not may_merge_customers(acting, customer, kept):
        return NotAllowed(
            "Only a lead, or the owner of an open case of either customer, can merge customers."
        )
    return None


def _contacts_kept(customer: Customer, kept: Customer, moment: datetime) -> None:
    """The kept row records the other's name, email and phone (and what it had recorded),
    and takes an email or phone it lacks."""
    record = {
        "customer": customer.pk,
        "name": customer.name,
        "email": customer.email,
        "phone": customer.phone,
        "merged_at": moment.isoformat(),
    }
    kept.other_contacts = [*kept.other_contacts, *customer.other_contacts, record]
    kept.email = kept.email or customer.email
    kept.phone = kept.phone or customer.phone
    kept.save(update_fields=["other_contacts", "email", "phone"])


def merge_customers(customer: Customer, *, into: Customer, acting: User) -> Customer:
    """`customer` and `into` are one person: `customer`'s cases move to `into` (returned).

    Each moved case gets a `customer_merged` event, under its row lock. `customer` stays, as
    it was, pointing at `into` (so its email or phone finds `into` when a case is opened);
    customers merged into it before now point at `into` too. Nobody is mailed.
    """
    staff_of(acting)
    if customer.pk == into.pk:
        raise Incomplete("A customer cannot be merged into themselves.", fields={"into": "Other."})
    with transaction.atomic():
        customer, kept = _customers_locked(customer, into)
        refusal = _customer_refusal(customer, kept, acting)
        if refusal is not None:
            raise refusal
        moment = now()
        _contacts_kept(customer, kept, moment)
        customer.merged_into = kept
        customer.save(update_fields=["merged_into"])
        Customer.objects.filter(merged_into=customer).update(merged_into=kept)
        body = (
            f"Customer {customer.pk} ({customer.name}) and customer {kept.pk} ({kept.name}) "
            f"are one person: this case is now {kept.name}'s."
        )
        for case_id in Case.objects.filter(customer=customer).order_by("pk").values("pk"):
            case = _locked(Case(pk=case_id["pk"]))
            case.customer = kept
            case.save(update_fields=["customer"])
            _event(
                case,
                EventKind.CUSTOMER_MERGED,
                moment,
                acting,
                body=body,
                data={"from_customer": customer.pk, "into_customer": kept.pk},
            )
    return kept
