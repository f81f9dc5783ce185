"""The customers' words in a month (rule 12): every delighted answer with what delighted
them, and the low ratings with what we should fix, each with its case and who solved it."""

from dataclasses import dataclass, field
from typing import Any

from relaydesk.cases.models import SurveyAnswer, ref_for
from relaydesk.insights.months import Month
from relaydesk.insights.surveys import DELIGHTED

LOW = 2  # a rating this low or lower reopens the case (rule 12): the customer is unhappy


@dataclass
class Feedback:
    delighted: list[dict[str, Any]] = field(default_factory=list)
    low: list[dict[str, Any]] = field(default_factory=list)


def feedback(month: Month) -> Feedback:
    """One query: the month's answers rated 5 or LOW and below, in the order answered."""
    rows = (
        SurveyAnswer.objects.filter(answered_at__gte=month.start_utc, answered_at__lt=month.end_utc)
        .exclude(rating__gt=LOW, rating__lt=DELIGHTED)
        .select_related("case", "solved_by")
        .order_by("answered_at", "id")
    )
    found = Feedback()
    for answer in rows:
        solver = answer.solved_by
        line = {
            "ref": ref_for(answer.case_id),
            "subject": answer.case.subject,
            "rating": answer.rating,
            "delighted": answer.delighted,
            "fix": answer.fix,
            "answered_at": answer.answered_at,
            "solver": (solver.get_full_name() or solver.username) if solver else "",
            "solver_username": solver.username if solver else "",
        }
        (found.delighted if answer.rating == DELIGHTED else found.low).append(line)
    return found
