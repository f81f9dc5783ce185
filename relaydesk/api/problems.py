"""Root causes (the second fix): list, open, read one, set its fix owner, mark fixed, reopen."""

from datetime import datetime
from typing import Annotated

from django.contrib.auth.models import User
from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import StringConstraints

from relaydesk.api.auth import acting_user
from relaydesk.api.errors import NotFound
from relaydesk.api.schemas import ErrorOut, Input, ProblemIn, ProblemOut, ProblemQuery, Text
from relaydesk.cases.errors import Incomplete
from relaydesk.problems import actions
from relaydesk.problems.models import Problem, ProblemEvent, ProblemStatus
from relaydesk.problems.queries import LinkedCase, problem_story, with_recent_cases
from relaydesk.timekeeping import now

router = Router(tags=["problems"])

LIST_LIMIT = 200
MAX_ID = 2**62  # larger ids cannot be looked up (the column holds 63 bits)
REFUSED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ProblemItem(ProblemOut):
    status: str
    owner: str | None
    fixed_note: str
    cases_30d: int
    came_back: bool
    came_back_at: datetime | None


class ProblemListQuery(ProblemQuery):
    status: ProblemStatus | None = None


class ProblemEventOut(Schema):
    kind: str
    at: datetime
    actor: str | None
    owner: str | None
    case: str | None
    body: str


class LinkedCaseOut(Schema):
    ref: str
    subject: str
    status: str
    linked_at: datetime
    after_fix: bool


class ProblemDetail(ProblemItem):
    events: list[ProblemEventOut]
    linked_cases: list[LinkedCaseOut]
    linked_total: int
    before_fix: int
    after_fix: int


class FixedIn(Input):
    note: Text


class ProblemReopenIn(Input):
    why: Text


class OwnerIn(Input):
    username: (
        Annotated[str, StringConstraints(min_length=1, max_length=150, strip_whitespace=True)]
        | None
    )


def _username(user: User | None) -> str | None:
    return user.username if user is not None else None


def problem_out(problem: Problem, *, cases_30d: int | None = None) -> dict:
    return {
        "id": problem.pk,
        "title": problem.title,
        "description": problem.description,
        "created_at": problem.created_at,
        "created_by": _username(problem.created_by),
        "fixed_at": problem.fixed_at,
        "status": problem.status,
        "owner": _username(problem.owner),
        "fixed_note": problem.fixed_note,
        "cases_30d": cases_30d if cases_30d is not None else problem.cases_30d,  # type: ignore[attr-defined]  # annotated by with_recent_cases
        "came_back": problem.came_back,
        "came_back_at": problem.came_back_at,
    }


def problem_for(problem_id: int) -> Problem:
    if not 1 <= problem_id <= MAX_ID:
        raise NotFound(f"There is no problem {problem_id}.")
    found = (
        with_recent_cases(Problem.objects.select_related("created_by", "owner"), now())
        .filter(pk=problem_id)
        .first()
    )
    if found is None:
        raise NotFound(f"There is no problem {problem_id}.")
    return found


def _event_out(event: ProblemEvent) -> dict:
    return {
        "kind": event.kind,
        "at": event.at,
        "actor": _username(event.actor),
        "owner": _username(event.owner),
        "case": event.case.ref if event.case is not None else None,
        "body": event.body,
    }


def _linked_out(linked: LinkedCase) -> dict:
    case = linked.case
    return {
        "ref": case.ref,
        "subject": case.subject,
        "status": case.status,
        "linked_at": linked.linked_at,
        "after_fix": linked.after_fix,
    }


@router.get(
    "",
    response={200: list[ProblemItem], 401: ErrorOut, 422: ErrorOut},
    summary="Problems, newest first (at most 200), with their cases in the last 30 days",
)
def list_problems(request: HttpRequest, filters: Query[ProblemListQuery]):
    problems = Problem.objects.select_related("created_by", "owner").order_by("-created_at", "-id")
    if filters.q:
        problems = problems.filter(
            Q(title__icontains=filters.q) | Q(description__icontains=filters.q)
        )
    if filters.open_only:
        problems = problems.exclude(status=ProblemStatus.FIXED)
    if filters.status:
        problems = problems.filter(status=filters.status)
    problems = with_recent_cases(problems, now())
    return [problem_out(problem) for problem in problems[:LIST_LIMIT]]


@router.post(
    "",
    response={201: ProblemItem, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Open a problem (a root cause)",
)
def create_problem(request: HttpRequest, payload: ProblemIn):
    problem = actions.open_problem(
        acting=acting_user(request), title=payload.title, description=payload.description
    )
    return Status(201, problem_out(problem, cases_30d=0))


@router.get(
    "/{problem_id}",
    response={200: ProblemDetail, 401: ErrorOut, 404: ErrorOut},
    summary="One problem with its history and its linked cases (the newest 50)",
)
def get_problem(request: HttpRequest, problem_id: int):
    story = problem_story(problem_for(problem_id))
    return {
        **problem_out(story.problem),
        "events": [_event_out(event) for event in story.events],
        "linked_cases": [_linked_out(linked) for linked in story.linked],
        "linked_total": story.linked_total,
        "before_fix": story.before_fix,
        "after_fix": story.after_fix,
    }


@router.post(
    "/{problem_id}/fixed",
    response={200: ProblemItem, **REFUSED},
    summary="Mark the problem fixed, with a note on the permanent fix",
)
def mark_fixed(request: HttpRequest, problem_id: int, payload: FixedIn):
    actions.mark_fixed(problem_for(problem_id), acting=acting_user(request), note=payload.note)
    return problem_out(problem_for(problem_id))


@router.post(
    "/{problem_id}/reopen",
    response={200: ProblemItem, **REFUSED},
    summary="Reopen a problem marked fixed: the fix did not hold",
)
def reopen(request: HttpRequest, problem_id: int, payload: ProblemReopenIn):
    actions.reopen_problem(problem_for(problem_id), acting=acting_user(request), why=payload.why)
    return problem_out(problem_for(problem_id))


@router.post(
    "/{problem_id}/owner",
    response={200: ProblemItem, **REFUSED},
    summary="Set who owns the permanent fix (username null: nobody)",
)
def set_owner(request: HttpRequest, problem_id: int, payload: OwnerIn):
    problem = problem_for(problem_id)
    owner = None
    if payload.username is not None:
        owner = User.objects.select_related("staff").filter(username=payload.username).first()
        if owner is None:
            raise Incomplete(
                f"There is no staff member {payload.username!r}.", fields={"username": "Unknown."}
            )
    actions.set_problem_owner(problem, acting=acting_user(request), owner=owner)
    return problem_out(problem_for(problem_id))
