"""Goodwill over HTTP (rule 13): give on a case (201 given, 202 waiting for approval), approve
or decline a waiting gesture, and a month's ledger for leads.

Every change goes through relaydesk.goodwill.actions; this module only parses and shapes.
"""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictFloat, StrictInt, StringConstraints

from relaydesk.api.auth import acting_user, require_lead
from relaydesk.api.cases import REFUSED, REFUSED_FOR_CASE, case_for
from relaydesk.api.errors import NotFound
from relaydesk.api.openapi import MONTH_PATTERN
from relaydesk.api.schemas import Input, Text
from relaydesk.goodwill.actions import approve_goodwill, decline_goodwill, give_goodwill
from relaydesk.goodwill.budget import Month, budget_for
from relaydesk.goodwill.ledger import goodwill_in_month, waiting_for_approval
from relaydesk.goodwill.models import Gesture, Kind
from relaydesk.org.company import company_time_zone
from relaydesk.timekeeping import now

case_router = Router(tags=["goodwill"])  # under /cases
router = Router(tags=["goodwill"])  # under /goodwill

# The value as JSON gives it: a number or a string ("12.50"); the action checks it is a
# positive amount with at most two decimals (422 with a field error otherwise).
Amount = Annotated[str, StringConstraints(max_length=30)] | StrictInt | StrictFloat


class GoodwillIn(Input):
    kind: Annotated[str, StringConstraints(max_length=20)] = Field(
        description=f"One of: {', '.join(Kind.values)}."
    )
    value: Amount = Field(description="In the company's currency; at most two decimals.")
    note: Text


class DeclineIn(Input):
    why: Text


class MonthQuery(Input):
    month: Annotated[str, StringConstraints(max_length=7)] | None = Field(
        None,
        description="YYYY-MM in the company's time zone; the current month if left out.",
        json_schema_extra={"pattern": f"^$|{MONTH_PATTERN}"},  # empty: the current month
    )


class FollowedOut(Schema):
    rating: int
    delighted: str


class GestureOut(Schema):
    id: int
    ref: str
    kind: str
    value: str
    currency: str
    note: str
    state: str
    over_budget: bool
    given_by: str
    given_by_tier: str
    given_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    why_declined: str
    followed: FollowedOut | None = Field(
        None, description="The first survey answer on the case after the gesture (the ledger)."
    )


class LedgerOut(Schema):
    month: str
    time_zone: str
    currency: str
    budget: str | None
    given: str
    pending: str
    left: str | None
    items: list[GestureOut]
    waiting: list[GestureOut]


def gesture_out(gesture: Gesture) -> dict:
    rating = getattr(gesture, "followed_rating", None)
    return {
        "id": gesture.pk,
        "ref": gesture.case.ref,
        "kind": gesture.kind,
        "value": f"{gesture.value:.2f}",
        "currency": gesture.currency,
        "note": gesture.note,
        "state": gesture.state,
        "over_budget": gesture.over_budget,
        "given_by": gesture.given_by.username,
        "given_by_tier": gesture.given_by_tier.slug,
        "given_at": gesture.given_at,
        "decided_by": gesture.decided_by.username if gesture.decided_by else None,
        "decided_at": gesture.decided_at,
        "why_declined": gesture.why_declined,
        "followed": None
        if rating is None
        else {"rating": rating, "delighted": getattr(gesture, "followed_delighted", "")},
    }


def _gesture(gesture_id: int) -> Gesture:
    gesture = Gesture.objects.filter(pk=gesture_id).first()
    if gesture is None:
        raise NotFound(f"There is no goodwill gesture {gesture_id}.")
    return gesture


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


@case_router.post(
    "/{ref}/goodwill",
    response={201: GestureOut, 202: GestureOut, **REFUSED_FOR_CASE},
    summary="Give goodwill: 201 given at once, 202 waiting for approval",
)
def give(request: HttpRequest, ref: str, payload: GoodwillIn):
    user = acting_user(request)
    gesture = give_goodwill(
        case_for(user, ref),
        acting=user,
        kind=payload.kind,
        value=payload.value,
        note=payload.note,
    )
    return Status(202 if gesture.is_pending else 201, gesture_out(gesture))


@router.post(
    "/{gesture_id}/approve",
    response={200: GestureOut, **REFUSED_FOR_CASE},
    summary="Approve a waiting gesture (a tier whose limit covers it)",
)
def approve(request: HttpRequest, gesture_id: int):
    return gesture_out(approve_goodwill(_gesture(gesture_id), acting=acting_user(request)))


@router.post(
    "/{gesture_id}/decline",
    response={200: GestureOut, **REFUSED_FOR_CASE},
    summary="Decline a waiting gesture, with the reason",
)
def decline(request: HttpRequest, gesture_id: int, payload: DeclineIn):
    user = acting_user(request)
    return gesture_out(decline_goodwill(_gesture(gesture_id), acting=user, why=payload.why))


@router.get(
    "",
    response={200: LedgerOut, **REFUSED},
    summary="A month's goodwill, what waits and the budget left (leads)",
)
def ledger(request: HttpRequest, filters: Query[MonthQuery]):
    require_lead(request)
    zone = company_time_zone()
    month = Month.parse(filters.month) if filters.month else Month.of(now(), zone)
    budget = budget_for(month, zone=zone)
    return {
        "month": str(month),
        "time_zone": zone,
        "currency": budget.currency,
        "budget": _money(budget.budget),
        "given": _money(budget.given),
        "pending": _money(budget.pending),
        "left": _money(budget.left),
        "items": [gesture_out(g) for g in goodwill_in_month(month, zone=zone)],
        "waiting": [gesture_out(g) for g in waiting_for_approval()],
    }
