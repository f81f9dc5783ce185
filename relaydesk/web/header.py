"""The facts the header shows on every staff page, in one query."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from relaydesk.cases.models import Notification
from relaydesk.org.permissions import leads


@dataclass(frozen=True)
class HeaderFacts:
    name: str
    tier_name: str
    unread: int
    is_lead: bool
    unread_here: bool = False  # unread lines about the case asked about (header_facts(case_id=))


def header_facts(user: User, *, case_id: int | None = None) -> HeaderFacts:
    """Name, tier, unread notifications and whether the person is a lead: one query. With
    `case_id`, the same query also says whether any unread line is about that case."""
    # Unread lines are the rows of the partial index notification_unread_idx.
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(count=Count("*"))
        .values("count")
    )
    here = Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True, case=case_id)
    found = (
        User.objects.filter(pk=user.pk)
        .values_list(
            Coalesce(Subquery(unread), 0),
            F("staff__tier__name"),
            Exists(leads().filter(user=OuterRef("pk"))),
            Exists(here) if case_id is not None else Value(False),
        )
        .first()
    )
    if found is None:
        return HeaderFacts(name=user.get_username(), tier_name="", unread=0, is_lead=False)
    unread_count, tier_name, leads_people, unread_here = found
    return HeaderFacts(
        name=user.get_full_name() or user.get_username(),
        tier_name=tier_name or ("Admin" if user.is_superuser else ""),
        unread=unread_count,
        is_lead=user.is_superuser or leads_people,
        unread_here=bool(unread_here),
    )
