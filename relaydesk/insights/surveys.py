"""The survey's figures in a month: an answer counts in the month it was answered, credited
(with its delight) to the person who solved the case (DESIGN rule 9)."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from relaydesk.cases.models import SurveyAnswer, ref_for
from relaydesk.insights.months import Month

DELIGHTED = 5


@dataclass
class Surveys:
    answers: int = 0
    delighted: int = 0
    # Per solver (user id): [{ref, rating, what_delighted}], in the order they were answered.
    delighted_by: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def surveys(month: Month) -> Surveys:
    answered = SurveyAnswer.objects.filter(
        answered_at__gte=month.start_utc, answered_at__lt=month.end_utc
    )
    totals = answered.aggregate(
        answers=Count("id"), delighted=Count("id", filter=Q(rating=DELIGHTED))
    )
    found = Surveys(answers=totals["answers"], delighted=totals["delighted"])
    rows = (
        answered.filter(rating=DELIGHTED, solved_by__isnull=False)
        .order_by("answered_at", "id")
        .values_list("solved_by", "case_id", "rating", "delighted")
    )
    for solver, case_id, rating, words in rows:
        found.delighted_by.setdefault(solver, []).append(
            {"ref": ref_for(case_id), "rating": rating, "what_delighted": words}
        )
    return found
