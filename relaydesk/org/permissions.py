"""Who may see what, beyond the domain rules in cases.actions."""

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from relaydesk.org.models import Staff, Tier


def staff_or_none(user: User) -> Staff | None:
    if not user.is_authenticated:
        return None
    return getattr(user, "staff", None)


def leads() -> QuerySet[Staff]:
    """The active staff who see team-wide pages: anyone's lead, and everyone at the top tier
    (the executives). The lead rule, written once: is_lead and the header both ask it."""
    top_rank = Tier.objects.order_by("-rank").values("rank")[:1]
    return Staff.objects.filter(active=True).filter(
        Exists(Staff.objects.filter(lead=OuterRef("pk"))) | Q(tier__rank=Subquery(top_rank))
    )


def is_lead(user: User) -> bool:
    """Leads, executives and admins see team-wide pages (due soon, quarantine): one query."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or leads().filter(user=user).exists()
