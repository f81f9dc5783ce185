"""Who is asked to approve a gesture above its giver's limit (rule 13)."""

from decimal import Decimal

from django.contrib.auth.models import User

from relaydesk.goodwill.budget import covers
from relaydesk.org.models import Staff, Tier


def _may_decide(tier: Tier, value: Decimal, *, over_budget: bool, top: int | None) -> bool:
    return covers(tier, value, top) and (not over_budget or tier.rank == top)


def approvers_for(
    giver: Staff, value: Decimal, *, over_budget: bool, top: int | None
) -> list[User]:
    """The giver's lead when they may decide (they know the person); otherwise the active
    members of the lowest tier that may, on duty first (if nobody there is on duty: all of
    them), going up a tier while one has nobody."""
    lead = None
    if giver.lead_id is not None:
        lead = Staff.objects.select_related("tier", "user").filter(pk=giver.lead_id).first()
    if (
        lead is not None
        and lead.active
        and lead.user.is_active
        and _may_decide(lead.tier, value, over_budget=over_budget, top=top)
    ):
        return [lead.user]
    for tier in Tier.objects.filter(rank__gt=giver.tier.rank).order_by("rank"):
        if not _may_decide(tier, value, over_budget=over_budget, top=top):
            continue
        members = list(
            Staff.objects.filter(tier=tier, active=True, user__is_active=True)
            .exclude(user=giver.user)
            .select_related("user")
            .order_by("id")
        )
        on_duty = [member.user for member in members if member.on_duty]
        if on_duty or members:
            return on_duty or [member.user for member in members]
    return []
