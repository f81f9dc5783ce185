"""The facts the header shows on every staff page, in one query."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from relaydesk.cases.models import Notification
from relaydesk.org.models import Staff, Tier


@dataclass(frozen=True)
class HeaderFacts:
    name: str
    tier_name: str
    unread: int
    is_lead: bool


def header_facts(user: User) -> HeaderFacts:
    """Name, tier, unread notifications and whether the person is a lead: one query.

    The lead rule mirrors relaydesk.org.permissions.is_lead (tested to agree with it).
    """
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    top_rank = Tier.objects.order_by("-rank").values("rank")[:1]
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
            leads_team=Exists(Staff.objects.filter(lead__user=OuterRef("pk"))),
            top_rank=Subquery(top_rank, output_field=IntegerField()),
            tier_name=F("staff__tier__name"),
            tier_rank=F("staff__tier__rank"),
            staff_active=F("staff__active"),
        )
        .values("unread", "leads_team", "top_rank", "tier_name", "tier_rank", "staff_active")
        .first()
    )
    if row is None:
        return HeaderFacts(name=user.get_username(), tier_name="", unread=0, is_lead=False)
    has_staff = row["staff_active"] is not None
    is_lead = user.is_superuser or (
        has_staff
        and bool(row["staff_active"])
        and (row["leads_team"] or row["tier_rank"] == row["top_rank"])
    )
    return HeaderFacts(
        name=user.get_full_name() or user.get_username(),
        tier_name=row["tier_name"] or ("Admin" if user.is_superuser else ""),
        unread=row["unread"],
        is_lead=is_lead,
    )
