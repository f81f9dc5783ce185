"""Linking a case to a problem outside the solve: the similar-case finder's "one click to link".

An open case linked now is linked already when it is solved (the solve form proposes the same
problem; solving with it writes no second link). A solved case linked now has its second-fix
decision replaced: the new problem instead of an earlier problem or one-off reason, kept in the
event's data. The link is an act on the case (a `problem_linked` event): by its owner it
restarts the idle clock and makes a later pass not bare (DESIGN rule 9).
"""

from django.contrib.auth.models import User
from django.db import transaction

from relaydesk.cases.actions import (
    ACTIVITY_FIELDS,
    _end_waiting,
    _event,
    _locked,
    _owner_acted,
    staff_of,
)
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Case, EventKind, Status
from relaydesk.problems import actions as problems
from relaydesk.problems.models import Problem
from relaydesk.timekeeping import now

LINKABLE = (Status.OPEN, Status.SOLVED)


def link_case_to_problem(case: Case, problem: Problem, *, acting: User) -> Case:
    """Any active staff member links an open or solved case to a problem (a root cause)."""
    staff_of(acting)
    with transaction.atomic():
        case = _locked(case)
        if case.status not in LINKABLE:
            raise DomainError(
                f"{case.ref} is {case.get_status_display().lower()}: only an open or solved "
                "case can be linked to a problem."
            )
        if case.problem_id == problem.pk:
            raise DomainError(f"{case.ref} is already linked to “{problem.title}”.")
        moment = now()
        data = {
            "problem_id": problem.pk,
            "was_problem_id": case.problem_id,
            "was_one_off_reason": case.one_off_reason,
        }
        case.problem = problem
        fields = ["problem"]
        if case.status == Status.SOLVED:
            case.one_off_reason = ""
            fields.append("one_off_reason")
        if case.is_open and case.owner_id == acting.pk:
            _owner_acted(case, moment)
            _end_waiting(case, moment, acting)
        else:
            case.last_activity_at = moment
        case.save(update_fields=[*fields, *ACTIVITY_FIELDS])
        event = _event(
            case, EventKind.PROBLEM_LINKED, moment, acting, body=problem.title, data=data
        )
        problems.link_case(problem, case=case, case_event=event, acting=acting)
    return case
