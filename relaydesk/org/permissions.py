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


def is_executive(user: User) -> bool:
    """An active person at the top tier: one query."""
    top = Tier.objects.order_by("-rank").values("rank")[:1]
    return Staff.objects.filter(
        user=user, active=True, user__is_active=True, tier__rank=Subquery(top)
    ).exists()


def may_see_record(viewer: User, staff: Staff) -> bool:
    """A career record (tier history and months) is for the person themselves, their leads up
    the line, executives and admins; the career page and the API both ask this."""
    if viewer.is_superuser or viewer.pk == staff.user_id:
        return True
    mine = staff_or_none(viewer)
    if mine is None or not (mine.active and viewer.is_active):
        return False
    lead, seen = staff.lead, set()
    while lead is not None and lead.pk not in seen:
        if lead.pk == mine.pk:
            return True
        seen.add(lead.pk)
        lead = lead.lead
    return is_executive(viewer)
