"""Who may see what, beyond the domain rules in cases.actions."""

from django.contrib.auth.models import User

from relaydesk.org.models import Staff, Tier


def staff_or_none(user: User) -> Staff | None:
    if not user.is_authenticated:
        return None
    return getattr(user, "staff", None)


def is_lead(user: User) -> bool:
    """Leads (someone's lead), executives and admins see team-wide pages (due soon, quarantine)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    staff = staff_or_none(user)
    if staff is None or not staff.active:
        return False
    if staff.team.exists():
        return True
    top = Tier.objects.order_by("-rank").values_list("rank", flat=True).first()
    return staff.tier.rank == top
