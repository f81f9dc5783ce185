"""Picks the next owner: the least-loaded on-duty, active person who covers the category."""

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Case, Status
from relaydesk.org.models import Category, Staff, Tier

Skill = Staff.skills.through


def _qualified(
    category: Category, *, tier: Tier | None, realtime_handlers: bool, exclude_user_id: int | None
) -> QuerySet[Staff]:
    """On duty, active, with an active login, and covering the category: a skill for it, or
    no skills at all (two EXISTS tests rather than a join, so nobody is listed twice)."""
    staff = Staff.objects.filter(on_duty=True, active=True, user__is_active=True).filter(
        Exists(Skill.objects.filter(staff=OuterRef("pk"), category=category))
        | ~Exists(Skill.objects.filter(staff=OuterRef("pk")))
    )
    if tier is not None:
        staff = staff.filter(tier=tier)
    if realtime_handlers:
        staff = staff.filter(realtime_handler=True)
    if exclude_user_id is not None:
        staff = staff.exclude(user_id=exclude_user_id)
    return staff


def _pick(
    category: Category,
    *,
    tier: Tier | None = None,
    realtime_handlers: bool = False,
    exclude_user_id: int | None = None,
) -> Staff | None:
    """The qualified person at the lowest tier that has one (or at `tier`), least loaded,
    a tie going to the earlier staff row."""
    qualified = _qualified(
        category, tier=tier, realtime_handlers=realtime_handlers, exclude_user_id=exclude_user_id
    )
    lowest_rank = qualified.order_by("tier__rank").values("tier__rank")[:1]
    # The load is a correlated count of the person's open cases, a range of
    # case_owner_queue_idx (owner, status, deadline); not a join over every case they ever
    # owned. Only the lowest tier's people are counted: ordering everyone by tier and load
    # would count the whole company's open cases for each routed case.
    open_cases = (
        Case.objects.filter(owner=OuterRef("user_id"), status=Status.OPEN)
        .order_by()
        .values("owner")
        .annotate(count=Count("*"))
        .values("count")
    )
    return (
        qualified.filter(tier__rank=Subquery(lowest_rank))
        .annotate(load=Coalesce(Subquery(open_cases), 0))
        .select_related("user", "tier")
        .order_by("load", "pk")
        .first()
    )


def least_loaded(tier: Tier, category: Category, *, exclude_user_id: int | None = None) -> Staff:
    staff = _pick(category, tier=tier, exclude_user_id=exclude_user_id)
    if staff is None:
        raise DomainError(
            f"Nobody at {tier.name} is on duty with the skills for {category.name}; "
            "pass to a named person instead, or put someone on duty."
        )
    return staff


def successor(case: Case, *, leaving_user_id: int) -> Staff | None:
    """Who takes an open case from a person who leaves: whom a pass to the case's tier would
    pick, else the same choice one tier up, and so on up the pyramid; None when nobody at the
    case's tier or above is on duty with the skills for it."""
    tiers = Tier.objects.filter(rank__gte=case.tier.rank).order_by("rank")
    for tier in tiers:
        staff = _pick(case.category, tier=tier, exclude_user_id=leaving_user_id)
        if staff is not None:
            return staff
    return None


def intake_owner(category: Category, *, realtime: bool) -> Staff:
    """The first owner of a case that arrived by email, web or API (domain rule 1).

    A realtime case goes to the on-duty realtime handlers at the lowest tier that has any.
    """
    if realtime:
        handler = _pick(category, realtime_handlers=True)
        if handler is not None:
            return handler
    staff = _pick(category)
    if staff is None:
        raise DomainError(f"Nobody is on duty to take a {category.name} case.")
    return staff
