"""Writing the access log, and the contact details a person may see: the one place that
decides whole or masked, so every page and route that shows them logs the same way."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User

from relaydesk.cases.models import Case, Customer, Event
from relaydesk.privacy.grounds import Ground, ground_for
from relaydesk.privacy.masking import hide_in_data, hide_in_text, mask_email, mask_phone
from relaydesk.privacy.models import AccessLog
from relaydesk.timekeeping import now

PAGE_LENGTH = AccessLog._meta.get_field("page").max_length


def record(
    *, who: User | None, customer: Customer, ground: str, page: str, case: Case | None = None
) -> AccessLog:
    """One row, one INSERT (in the request's own connection; no transaction of its own)."""
    return AccessLog.objects.create(
        who=who, at=now(), customer=customer, case=case, page=page[:PAGE_LENGTH], ground=ground
    )


@dataclass(frozen=True)
class Contact:
    """A customer's email and phone as one person sees them."""

    email: str
    phone: str
    whole: bool
    ground: Ground | None = None  # why they may see them whole (None: masked)


def masked(customer: Customer) -> Contact:
    return Contact(mask_email(customer.email), mask_phone(customer.phone), whole=False)


def _whole(user: User, customer: Customer, ground: Ground, *, page: str, case: Case | None):
    if customer.email or customer.phone:  # nothing shown, nothing to log
        record(who=user, customer=customer, ground=ground, page=page, case=case)
    return Contact(customer.email, customer.phone, whole=True, ground=ground)


def contact_for(user: User | AnonymousUser, case: Case, *, page: str) -> Contact:
    """The case page's and API case detail's view (rule 15): whole for the owner, leads,
    executives and admins, with a log row; masked for everyone else."""
    ground = ground_for(user, case)
    if ground is None:
        return masked(case.customer)
    assert isinstance(user, User)
    return _whole(user, case.customer, ground, page=page, case=case)


def reveal(
    user: User | AnonymousUser, customer: Customer, *, page: str, case: Case | None = None
) -> Contact | None:
    """A "show" on a masked value: the whole details and a log row, or None when `user` is
    not entitled (through `case` when given, else as a lead, executive or admin)."""
    if case is not None and case.customer_id != customer.pk:
        return None
    ground = ground_for(user, case)
    if ground is None:
        return None
    assert isinstance(user, User)
    return _whole(user, customer, ground, page=page, case=case)


def masked_event(event: Event, customer: Customer) -> Event:
    """`event` as someone not entitled reads it: its body and data quote the masks where they
    quoted the customer's address or number (in memory only: events are never saved twice)."""
    email, phone = customer.email, customer.phone
    event.body = hide_in_text(event.body, email=email, phone=phone)
    event.data = hide_in_data(event.data, email=email, phone=phone)
    return event
