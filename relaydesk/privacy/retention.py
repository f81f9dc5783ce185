"""Retention (rule 15): customers whose cases all closed long ago are erased by the worker.

Off unless RELAYDESK_RETAIN_CLOSED_DAYS is set. A customer is due when they have cases, none
of them is open or solved (every one closed, or otherwise ended), nothing happened on any of
them for that many days, and they are not erased yet. The step looks at most once an hour per
process, erasing a batch at a time; erasing locks the customer's row and does nothing to a
customer already erased, so several workers erase each customer once.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from relaydesk.cases.actions import erase_customer
from relaydesk.cases.erasure import ERASED_NAME
from relaydesk.cases.models import Case, Customer, Event, Status
from relaydesk.timekeeping import now

EVERY = timedelta(hours=1)
BATCH = 20
next_look: dict[str, datetime] = {}  # per database alias, in this process


def due_customers(cutoff: datetime, limit: int = BATCH) -> list[int]:
    """Ids of the customers to erase: cases all ended, the last event before `cutoff`."""
    theirs = Case.objects.filter(customer=OuterRef("pk"))
    live = theirs.filter(status__in=[Status.OPEN, Status.SOLVED])
    recent = Event.objects.filter(case__customer=OuterRef("pk"), at__gte=cutoff)
    erased = Q(name=ERASED_NAME, email="", phone="")
    return list(
        Customer.objects.filter(Exists(theirs))
        .exclude(Exists(live))
        .exclude(Exists(recent))
        .exclude(erased)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def handle_one_retention_batch() -> bool:
    """Erase a batch of due customers; True when it erased any (call again)."""
    days = settings.RETAIN_CLOSED_DAYS
    if not days:
        return False
    moment = now()
    if moment < next_look.get(connection.alias, moment):
        return False
    due = due_customers(moment - timedelta(days=days))
    why = f"Retention: every case closed more than {days} days ago (RELAYDESK_RETAIN_CLOSED_DAYS)."
    for customer in Customer.objects.filter(pk__in=due).order_by("pk"):
        erase_customer(customer, acting=None, why=why)
    if len(due) < BATCH:
        next_look[connection.alias] = moment + EVERY
    return bool(due)
