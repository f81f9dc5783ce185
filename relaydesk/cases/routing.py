"""Picks the next owner: the least-loaded on-duty, active person who covers the category."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Case, Status
from relaydesk.intake.models import Category
from relaydesk.org.models import Staff, Tier


def open_load():
    """A person's open cases, counted on case_owner_queue_idx (owner, status, deadline).

    A subquery rather than Count over the join: the join read every case a person ever owned
    (solved ones too), which made routing slow down with history (bench/open_case.py).
    """
    open_cases = (
        Case.objects.filter(owner=OuterRef("user_id"), status=Status.OPEN)
        .order_by()
        .values("owner")
        .annotate(n=Count("*"))  # not COUNT(id): lets PostgreSQL answer from the index alone
        .values("n")
    )
    return Coalesce(Subquery(open_cases), 0)


def candidates(tier: Tier, category: Category):
    """On-duty, active members of `tier` whose skills cover `category`, least loaded first."""
    return (
        Staff.objects.filter(tier=tier, on_duty=True, active=True, user__is_active=True)
        .filter(Q(skills=category) | Q(skills__isnull=True))
        .annotate(load=open_load())
        .select_related("user", "tier")
        .order_by("load", "id")
        .distinct()
    )


def least_loaded(tier: Tier, category: Category, *, exclude_user_id: int | None = None) -> Staff:
    pool = candidates(tier, category)
    if exclude_user_id is not None:
        pool = pool.exclude(user_id=exclude_user_id)
    staff = pool.first()
    if staff is None:
        raise DomainError(
            f"Nobody at {tier.name} is on duty with the skills for {category.name}; "
            "pass to a named person instead, or put someone on duty."
        )
    return staff


def intake_owner(category: Category, *, realtime: bool) -> Staff:
    """The first owner of a case that arrived by email, web or API (domain rule 1)."""
    if realtime:
        handler = candidates_realtime(category).first()
        if handler is not None:
            return handler
    for tier in Tier.objects.order_by("rank"):
        staff = candidates(tier, category).first()
        if staff is not None:
            return staff
    raise DomainError(f"Nobody is on duty to take a {category.name} case.")


def candidates_realtime(category: Category):
    """On-duty realtime handlers at the lowest tier that has any, least loaded first."""
    handlers = (
        Staff.objects.filter(realtime_handler=True, on_duty=True, active=True, user__is_active=True)
        .filter(Q(skills=category) | Q(skills__isnull=True))
        .order_by("tier__rank")
        .values_list("tier__rank", flat=True)
    )
    lowest_rank = handlers.first()
    if lowest_rank is None:
        return Staff.objects.none()
    return candidates(Tier.objects.get(rank=lowest_rank), category).filter(realtime_handler=True)
