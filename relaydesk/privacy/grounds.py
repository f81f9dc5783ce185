"""Who may see a customer's whole contact details (rule 15), and on what ground.

The case's owner, for that case; leads (anyone who leads someone in the company file),
executives (the top tier) and admins (superusers), for every case. Everyone else sees the
masks. Only active people count: someone who left sees masks like anyone else.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Exists, OuterRef

from relaydesk.cases.models import Case
from relaydesk.org.models import Staff, Tier


class Ground(models.TextChoices):
    OWNER = "owner", "Owner of the case"
    EXECUTIVE = "executive", "Executive"
    LEAD = "lead", "Lead"
    ADMIN = "admin", "Admin"


# A request asks for a person's standing once however many rows a page shows (the
# attribute lives as long as the user object, that is one request).
_CACHE = "relaydesk_privacy_standing"


def _standing(user: User) -> Ground | None:
    if user.is_superuser:
        return Ground.ADMIN
    higher = Tier.objects.filter(rank__gt=OuterRef("tier__rank"))
    row = (
        Staff.objects.filter(user=user, active=True)
        .annotate(
            below_top=Exists(higher),
            leads_someone=Exists(Staff.objects.filter(lead=OuterRef("pk"))),
        )
        .values_list("below_top", "leads_someone")
        .first()
    )
    if row is None:
        return None
    below_top, leads_someone = row
    if not below_top:
        return Ground.EXECUTIVE
    return Ground.LEAD if leads_someone else None


def standing(user: User | AnonymousUser) -> Ground | None:
    """The ground on which `user` sees whole details of any customer, or None (at most one
    query, then remembered on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)
    if not hasattr(user, _CACHE):
        setattr(user, _CACHE, _standing(user))
    return getattr(user, _CACHE)


def ground_for(user: User | AnonymousUser, case: Case | None = None) -> Ground | None:
    """The ground on which `user` may see the whole details of `case`'s customer (of any
    customer when `case` is None): owner first, since that is the work's own need."""
    owns = case is not None and case.owner_id is not None and case.owner_id == user.pk
    if owns and user.is_authenticated and user.is_active:
        return Ground.OWNER
    return standing(user)
