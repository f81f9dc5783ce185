"""Earlier cases like this one: GET /api/v1/cases/{ref}/similar → [{ref, score, problem_id}].

The same finder as the case page (relaydesk.problems.search.similar_cases), best first; the
case itself is never in its own list. Anyone who may read the case may ask (case_for).
"""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from relaydesk.api.auth import acting_user
from relaydesk.api.cases import REFUSED_FOR_CASE, case_for
from relaydesk.api.schemas import Input
from relaydesk.problems.search import similar_cases

router = Router(tags=["cases"])


class SimilarQuery(Input):
    limit: int = Field(10, ge=1, le=50)


class SimilarOut(Schema):
    ref: str
    score: float
    problem_id: int | None


@router.get(
    "/{ref}/similar",
    response={200: list[SimilarOut], **REFUSED_FOR_CASE},
    summary="Earlier cases like this one, best first",
)
def similar(request: HttpRequest, ref: str, filters: Query[SimilarQuery]):
    case = case_for(acting_user(request), ref)
    return [
        {"ref": found.ref, "score": found.score, "problem_id": found.problem_id}
        for found in similar_cases(case, limit=filters.limit)
    ]
