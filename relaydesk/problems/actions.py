"""The only code that changes a problem: open it, set its fix owner, mark it fixed, reopen it,
link a case to it.

Each follows cases/actions.py's rules: check the rule under the row lock, read the clock once,
update the row and append its ProblemEvent in one transaction. Who may:
- any active staff member opens a problem and links cases to it;
- setting the fix owner, marking fixed and reopening are for leads, executives and admins
  (org.permissions.is_lead) and the problem's own fix owner.

A case linked to a problem marked fixed is a regression: a `came_back` event, a bell line (and
digest mail) for the fix owner, and `came_back_at` set until the problem is handled (reopened
or marked fixed again).

cases.actions imports this module (solve links cases), so this one imports only cases' models,
errors and notify, never cases.actions.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import Case, Event, Notification
from relaydesk.cases.notify import LINE_LIMIT, notify, shorten
from relaydesk.org.models import Staff
from relaydesk.org.permissions import is_lead
from relaydesk.problems.models import Problem, ProblemEvent, ProblemEventKind, ProblemStatus
from relaydesk.timekeeping import now

MAX_TITLE = 200
MAX_NOTE = 5_000


class NotAllowed(DomainError):
    """The acting person may not do this to a problem (403)."""

    http_status = 403


def _name(user: User | None) -> str:
    if user is None:
        return "nobody"
    return user.get_full_name() or user.username


def _active_staff(user: User | None) -> Staff:
    staff = getattr(user, "staff", None) if user is not None else None
    if user is None or staff is None or not staff.active or not user.is_active:
        raise NotAllowed(f"{_name(user)} is not active staff, so cannot act on problems.")
    return staff


def _words(value: str | None, what: str, *, field: str, limit: int = MAX_NOTE) -> str:
    text = (value or "").strip()
    if not text:
        raise Incomplete(f"Write {what}.", fields={field: "This is required."})
    if len(text) > limit:
        raise Incomplete(f"Keep {what} under {limit} characters.", fields={field: "Too long."})
    return text


def may_steer(user: User, problem: Problem) -> bool:
    """Set the fix owner, mark fixed, reopen: leads, executives, admins, and the fix owner."""
    if not user.is_authenticated:
        return False
    return (problem.owner_id is not None and user.pk == problem.owner_id) or is_lead(user)


def _steering(problem: Problem, acting: User, what: str) -> None:
    _active_staff(acting)
    if not may_steer(acting, problem):
        raise NotAllowed(
            f"Only leads, executives, admins and the fix owner may {what} "
            f"(the fix owner of “{problem.title}” is {_name(problem.owner)})."
        )


def _locked(problem: Problem) -> Problem:
    """The problem row, locked for this transaction (PostgreSQL row lock; SQLite's write lock).
    The bare row is locked, then read with its owner: PostgreSQL cannot lock the nullable
    side of the outer join an absent owner needs (and see cases.actions._locked)."""
    Problem.objects.select_for_update().filter(pk=problem.pk).values_list("pk").get()
    return Problem.objects.select_related("owner").get(pk=problem.pk)


def _event(
    problem: Problem, kind: str, moment: datetime, acting: User | None, **fields: Any
) -> ProblemEvent:
    return ProblemEvent.objects.create(
        problem=problem, kind=kind, at=moment, actor=acting, **fields
    )


def _tell(user: User, text: str, moment: datetime) -> None:
    """A bell line (and digest mail) about a problem, which has no case of its own."""
    Notification.objects.create(
        user=user,
        text=shorten(text, LINE_LIMIT),
        created_at=moment,
        mail_pending=bool(user.email),
    )


def open_problem(*, acting: User, title: str, description: str = "") -> Problem:
    """A new root cause; any active staff member may open one."""
    _active_staff(acting)
    title = _words(title, "the problem's title", field="title", limit=MAX_TITLE)
    description = (description or "").strip()
    with transaction.atomic():
        moment = now()
        problem = Problem.objects.create(
            title=title, description=description, created_at=moment, created_by=acting
        )
        _event(problem, ProblemEventKind.OPENED, moment, acting, body=description)
    return problem


def _checked_owner(owner: User | None) -> User | None:
    if owner is None:
        return None
    staff = getattr(owner, "staff", None)
    if staff is None or not staff.active or not owner.is_active:
        raise Incomplete(
            f"{_name(owner)} is not active staff, so cannot own a fix.",
            fields={"owner": "Choose an active staff member."},
        )
    return owner


def set_problem_owner(problem: Problem, *, acting: User, owner: User | None) -> Problem:
    """The person who makes the permanent fix (None: nobody). An open problem with a fix owner
    is being fixed; one without is open again; a fixed one stays fixed."""
    owner = _checked_owner(owner)
    with transaction.atomic():
        problem = _locked(problem)
        _steering(problem, acting, "choose who fixes it")
        if problem.owner_id == (owner.pk if owner else None):
            raise DomainError(f"{_name(owner)} already owns the fix of “{problem.title}”.")
        moment = now()
        problem.owner = owner
        if problem.status != ProblemStatus.FIXED:
            problem.status = ProblemStatus.BEING_FIXED if owner else ProblemStatus.OPEN
        problem.save(update_fields=["owner", "status"])
        _event(problem, ProblemEventKind.OWNER_SET, moment, acting, owner=owner)
        if owner is not None and owner.pk != acting.pk:
            _tell(owner, f"You own the permanent fix of “{problem.title}”.", moment)
    return problem


def mark_fixed(problem: Problem, *, acting: User, note: str) -> Problem:
    """The permanent fix is in, with a note on what was changed. A problem that came back may
    be marked fixed again; that handles the regression."""
    note = _words(note, "what the fix was", field="note")
    with transaction.atomic():
        problem = _locked(problem)
        _steering(problem, acting, "mark it fixed")
        if problem.status == ProblemStatus.FIXED and problem.came_back_at is None:
            raise DomainError(f"“{problem.title}” is already marked fixed.")
        moment = now()
        problem.status = ProblemStatus.FIXED
        problem.fixed_at = moment
        problem.fixed_note = note
        problem.came_back_at = None
        problem.save(update_fields=["status", "fixed_at", "fixed_note", "came_back_at"])
        _event(problem, ProblemEventKind.FIXED, moment, acting, body=note)
    return problem


def reopen_problem(problem: Problem, *, acting: User, why: str) -> Problem:
    """The fix did not hold: back to being fixed (with a fix owner) or open (without)."""
    why = _words(why, "why it is reopened", field="why")
    with transaction.atomic():
        problem = _locked(problem)
        _steering(problem, acting, "reopen it")
        if problem.status != ProblemStatus.FIXED:
            raise DomainError(f"“{problem.title}” is not marked fixed, so cannot be reopened.")
        moment = now()
        problem.status = ProblemStatus.BEING_FIXED if problem.owner_id else ProblemStatus.OPEN
        problem.fixed_at = None
        problem.fixed_note = ""
        problem.came_back_at = None
        problem.save(update_fields=["status", "fixed_at", "fixed_note", "came_back_at"])
        _event(problem, ProblemEventKind.REOPENED, moment, acting, body=why)
    return problem


def _who_hears_of_regressions(problem: Problem) -> User | None:
    """The fix owner; without one, whoever last marked it fixed."""
    if problem.owner is not None:
        return problem.owner
    fixed = (
        ProblemEvent.objects.filter(problem=problem, kind=ProblemEventKind.FIXED)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    return fixed.actor if fixed is not None else None


def link_case(problem: Problem, *, case: Case, case_event: Event, acting: User | None) -> Problem:
    """Record that `case` is linked to `problem` (by its solve or by a link on the case).

    Called inside the case action's transaction, with that action's event (its moment is the
    link's). On a problem marked fixed this is a regression (see the module's docstring).
    """
    moment = case_event.at
    with transaction.atomic():
        problem = _locked(problem)
        _event(problem, ProblemEventKind.CASE_LINKED, moment, acting, case=case)
        if problem.status != ProblemStatus.FIXED:
            return problem
        _event(problem, ProblemEventKind.CAME_BACK, moment, acting, case=case)
        if problem.came_back_at is None:
            problem.came_back_at = moment
            problem.save(update_fields=["came_back_at"])
        told = _who_hears_of_regressions(problem)
        if told is not None and told.is_active and (acting is None or told.pk != acting.pk):
            text = f"“{problem.title}” came back: {case.ref} was linked to it after the fix."
            notify(told, case=case, event=case_event, text=text)
    return problem
