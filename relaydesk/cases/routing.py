"""Picks the next owner: the least-loaded on-duty, active person who covers the category.

Every case that arrives by email, web or API is routed, so the choice is one fixed statement
(`PICK`): built through the ORM it cost about 3 ms of CPU to compile each time, several
times what SQLite then needs to run it (bench/open_case.py, "routed").
"""

from django.db import connection

from relaydesk import rows
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Case, Status
from relaydesk.org.models import Category, Staff, Tier

# The load is a person's open cases, counted on case_owner_queue_idx (owner, status,
# deadline) with COUNT(*) so PostgreSQL answers from the index alone; not a join over every
# case a person ever owned. Only the people at the lowest tier that has anyone qualified are
# counted (ordering everyone by tier and load counted the whole company's open cases for each
# routed case). No skills listed means the person covers every category; two EXISTS tests
# instead of a join on the skills table, so no DISTINCT is needed.
PICK = """
    WITH qualified AS (
        SELECT s.id, s.user_id, t.rank FROM {staff} AS s
        JOIN {user} AS u ON u.id = s.user_id
        JOIN {tier} AS t ON t.id = s.tier_id
        WHERE s.on_duty = %s AND s.active = %s AND u.is_active = %s
          AND (EXISTS (SELECT 1 FROM {skills} AS k
                       WHERE k.staff_id = s.id AND k.category_id = %s)
               OR NOT EXISTS (SELECT 1 FROM {skills} AS k WHERE k.staff_id = s.id))
          {narrower}
    )
    SELECT q.id FROM qualified AS q
    WHERE q.rank = (SELECT MIN(rank) FROM qualified)
    ORDER BY (SELECT COUNT(*) FROM {case} AS c WHERE c.owner_id = q.user_id AND c.status = %s),
             q.id
    LIMIT 1
"""


def _pick(
    category: Category,
    *,
    tier: Tier | None = None,
    realtime_handlers: bool = False,
    exclude_user_id: int | None = None,
) -> Staff | None:
    """The qualified person at the lowest tier that has one (or at `tier`), least loaded."""
    narrower, extra = [], []
    if tier is not None:
        narrower.append("AND s.tier_id = %s")
        extra.append(tier.pk)
    if realtime_handlers:
        narrower.append("AND s.realtime_handler = %s")
        extra.append(True)
    if exclude_user_id is not None:
        narrower.append("AND s.user_id <> %s")
        extra.append(exclude_user_id)
    sql = PICK.format(
        staff=Staff._meta.db_table,
        user=Staff._meta.get_field("user").related_model._meta.db_table,
        tier=Tier._meta.db_table,
        skills=Staff.skills.through._meta.db_table,
        case=Case._meta.db_table,
        narrower=" ".join(narrower),
    )
    params = [True, True, True, category.pk, *extra, Status.OPEN]
    found = rows.fetch(connection, sql, params)
    if not found:
        return None
    return Staff.objects.select_related("user", "tier").get(pk=found[0][0])


def least_loaded(tier: Tier, category: Category, *, exclude_user_id: int | None = None) -> Staff:
    staff = _pick(category, tier=tier, exclude_user_id=exclude_user_id)
    if staff is None:
        raise DomainError(
            f"Nobody at {tier.name} is on duty with the skills for {category.name}; "
            "pass to a named person instead, or put someone on duty."
        )
    return staff


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
