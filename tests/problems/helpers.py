"""Makers for the problems tests: a problem opened by an action, a case solved with it."""

from django.contrib.auth.models import User

from relaydesk.cases import actions
from relaydesk.cases.models import Case, Category
from relaydesk.problems import actions as problems
from relaydesk.problems.models import Problem
from tests.factories import make_case, make_customer


def make_problem(acting: User, title="Ticket machine double-charges") -> Problem:
    return problems.open_problem(acting=acting, title=title, description="Station 4's machine.")


def solved_with(
    problem: Problem, *, category: Category, owner: User, subject="Charged twice", n: int = 0
) -> Case:
    """A new case owned by `owner`, solved with `problem` as its root cause."""
    customer = make_customer(name=f"Customer {n}", email=f"customer{n}@example.com")
    case = make_case(category=category, acting=owner, customer=customer, subject=subject)
    return actions.solve(
        case, acting=owner, resolution="Refunded the double charge.", problem=problem
    )
