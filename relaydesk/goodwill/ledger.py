"""Reading the ledger: a month's gestures (the goodwill page, the API, the trail), what waits
for approval, and what each gesture bought (the survey answered after it, rule 13).
"""

from datetime import datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum

from relaydesk.cases.models import SurveyAnswer
from relaydesk.goodwill.budget import Month
from relaydesk.goodwill.models import Gesture, State

RELATIONS = ("case", "given_by", "given_by_tier", "decided_by")


def goodwill_in_month(month: Month, *, zone: str | None = None) -> QuerySet[Gesture]:
    """The gestures given in `month` (the company's month, or `zone`'s): those approved in it,
    including those that stood at once, oldest first. Each has `followed_rating` and
    `followed_delighted`: the first survey answer on its case at or after it was given (None:
    no answer yet). One query, however many gestures."""
    start, end = month.span(zone)
    return with_what_followed(
        Gesture.objects.filter(state=State.GIVEN, decided_at__gte=start, decided_at__lt=end)
        .select_related(*RELATIONS)
        .order_by("decided_at", "id")
    )


def waiting_for_approval() -> QuerySet[Gesture]:
    """Every gesture waiting for approval, oldest first."""
    return (
        Gesture.objects.filter(state=State.PENDING)
        .select_related(*RELATIONS)
        .order_by("given_at", "id")
    )


def with_what_followed(gestures: QuerySet[Gesture]) -> QuerySet[Gesture]:
    after = SurveyAnswer.objects.filter(
        case=OuterRef("case"), answered_at__gte=OuterRef("given_at")
    ).order_by("answered_at", "id")
    return gestures.annotate(
        followed_rating=Subquery(after.values("rating")[:1]),
        followed_delighted=Subquery(after.values("delighted")[:1]),
    )


def on_case(case_id: int) -> list[Gesture]:
    """A case's gestures, every state, oldest first (the case page, the API's case detail)."""
    return list(
        Gesture.objects.filter(case_id=case_id)
        .select_related("given_by", "given_by_tier", "decided_by")
        .order_by("given_at", "id")
    )


def given_on_case(case_id: int) -> list[Gesture]:
    """What the customer sees (the status page): only the gestures given."""
    return list(
        Gesture.objects.filter(case_id=case_id, state=State.GIVEN).order_by("decided_at", "id")
    )


def given_by_person(start: datetime, end: datetime) -> dict[int, tuple[int, Decimal]]:
    """For the trail: per giver (user id), the gestures given in [start, end) (by the moment
    they were approved, or given at once) and their total value. One query."""
    rows = (
        Gesture.objects.filter(state=State.GIVEN, decided_at__gte=start, decided_at__lt=end)
        .values("given_by")
        .annotate(count=Count("id"), value=Sum("value"))
        .order_by()
    )
    return {row["given_by"]: (row["count"], row["value"]) for row in rows}
