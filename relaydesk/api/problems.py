"""Root causes (the second fix): list and open problems."""

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Status

from relaydesk.api.auth import acting_user
from relaydesk.api.schemas import ErrorOut, ProblemIn, ProblemOut, ProblemQuery
from relaydesk.problems.models import Problem
from relaydesk.timekeeping import now

router = Router(tags=["problems"])

LIST_LIMIT = 200


def problem_out(problem: Problem) -> dict:
    return {
        "id": problem.pk,
        "title": problem.title,
        "description": problem.description,
        "created_at": problem.created_at,
        "created_by": problem.created_by.username if problem.created_by else None,
        "fixed_at": problem.fixed_at,
    }


@router.get(
    "",
    response={200: list[ProblemOut], 401: ErrorOut, 422: ErrorOut},
    summary="Problems, newest first (at most 200)",
)
def list_problems(request: HttpRequest, filters: Query[ProblemQuery]):
    problems = Problem.objects.select_related("created_by").order_by("-created_at", "-id")
    if filters.q:
        problems = problems.filter(
            Q(title__icontains=filters.q) | Q(description__icontains=filters.q)
        )
    if filters.open_only:
        problems = problems.filter(fixed_at__isnull=True)
    return [problem_out(problem) for problem in problems[:LIST_LIMIT]]


@router.post(
    "",
    response={201: ProblemOut, 401: ErrorOut, 422: ErrorOut},
    summary="Open a problem (a root cause)",
)
def create_problem(request: HttpRequest, payload: ProblemIn):
    # A problem is not a case: no case row or event is written here, so no action is needed.
    problem = Problem.objects.create(
        title=payload.title,
        description=payload.description.strip(),
        created_at=now(),
        created_by=acting_user(request),
    )
    return Status(201, problem_out(problem))
