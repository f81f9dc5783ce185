"""A person's career record over the API: tier history and the last twelve months (rule 9),
for the person, their leads up the line, executives and admins (org.permissions)."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import AuthorizationError

from relaydesk.api.auth import acting_user
from relaydesk.api.errors import NotFound
from relaydesk.api.schemas import ErrorOut
from relaydesk.insights.career import Career, career_of
from relaydesk.org.company import company_time_zone
from relaydesk.org.models import Staff
from relaydesk.org.permissions import may_see_record
from relaydesk.timekeeping import now

router = Router(tags=["people"])


class TierSpellOut(Schema):
    tier: str
    since: datetime


class MonthOut(Schema):
    month: str
    solved: int
    passed: int
    pass_rate: float | None
    delighted: int
    deadlines_missed: int


class WordsOut(Schema):
    ref: str
    rating: int
    delighted: str
    fix: str
    answered_at: datetime


class RecordOut(Schema):
    username: str
    name: str
    tier: str
    history: list[TierSpellOut]
    months: list[MonthOut]
    words: list[WordsOut]


def record_out(career: Career) -> dict[str, Any]:
    user = career.staff.user
    return {
        "username": user.username,
        "name": user.get_full_name() or user.username,
        "tier": career.staff.tier.slug,
        "history": [{"tier": line.tier.slug, "since": line.since} for line in career.history],
        "months": [
            {
                "month": record.month.label,
                "solved": record.solved,
                "passed": record.passed,
                "pass_rate": record.pass_rate,
                "delighted": record.delighted,
                "deadlines_missed": record.deadlines_missed,
            }
            for record in career.months
        ],
        "words": [
            {key: answer[key] for key in ("ref", "rating", "delighted", "fix", "answered_at")}
            for answer in career.words
        ],
    }


@router.get(
    "/{username}/record",
    response={200: RecordOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A person's career record: tier history and the last 12 months",
)
def record(request: HttpRequest, username: str) -> dict[str, Any]:
    staff = (
        Staff.objects.select_related("user", "tier", "lead").filter(user__username=username).first()
    )
    if staff is None:
        raise NotFound(f"There is no one called {username} here.")
    if not may_see_record(acting_user(request), staff):
        raise AuthorizationError(
            message="A career record is for the person, their leads and executives."
        )
    return record_out(career_of(staff, now(), company_time_zone()))
