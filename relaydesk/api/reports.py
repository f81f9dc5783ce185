"""The month-end trail over the API (DESIGN rule 9): leads, executives and admins only."""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import WithJsonSchema

from relaydesk.api.auth import require_lead
from relaydesk.api.errors import NotFound
from relaydesk.api.openapi import MONTH_PATTERN
from relaydesk.api.schemas import ErrorOut
from relaydesk.insights.months import BadMonth, month_of, parse_month
from relaydesk.insights.trail import as_report, compute_trail
from relaydesk.org.company import company_time_zone
from relaydesk.timekeeping import now

router = Router(tags=["reports"])


class PassedOut(Schema):
    up: int
    same: int
    down: int
    total: int


class GoodwillOut(Schema):
    count: int
    value: str  # a decimal amount in the company's currency, e.g. "12.50"


class DelightedOut(Schema):
    ref: str
    rating: int
    what_delighted: str


class PersonOut(Schema):
    username: str
    name: str
    tier: str
    touched: int
    solved: int
    passed: PassedOut
    taken: int
    bare_passes: int
    pass_rate: float | None
    tier_median_pass_rate: float | None
    deadlines_missed: int
    replies: int
    sent_anyway: int
    waiting_hours: float
    goodwill: GoodwillOut
    delighted: list[DelightedOut]


class TierSolvedOut(Schema):
    slug: str
    name: str
    rank: int
    solved: int


class ProblemCountOut(Schema):
    id: int
    title: str
    cases: int


class OverallOut(Schema):
    opened: int
    solved: int
    solved_before_deadline_share: float | None  # None: nothing solved
    median_hours_to_solve: float | None
    realtime_share: float | None  # None: nothing opened
    escalated: int
    survey_answers: int
    delighted: int
    goodwill_value: str
    waiting_hours: float
    top_problems: list[ProblemCountOut]


class TrailOut(Schema):
    month: str
    time_zone: str
    start: str
    end: str
    people: list[PersonOut]
    tiers: list[TierSolvedOut]
    overall: OverallOut


@router.get(
    "/{month}",
    response={200: TrailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The month-end trail of YYYY-MM in the company's time zone",
)
def month_trail(
    request: HttpRequest,
    month: Annotated[str, WithJsonSchema({"type": "string", "pattern": MONTH_PATTERN})],
) -> dict[str, Any]:
    require_lead(request)
    zone = company_time_zone()
    try:
        wanted = parse_month(month, zone)
    except BadMonth as error:
        raise HttpError(422, str(error)) from None
    if wanted.start > month_of(now(), zone).start:
        raise NotFound(f"{wanted.label} has not begun yet, so it has no trail.")
    return as_report(compute_trail(wanted))
