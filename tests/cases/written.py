"""`nothing_written()`: a refused action leaves every row as it was."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.forms.models import model_to_dict

from relaydesk.cases.models import Case, Customer, Event, Notification
from relaydesk.outbox.models import OutgoingMail
from relaydesk.problems.models import Problem

COUNTED = (Case, Event, Customer, Notification, OutgoingMail, Problem, User)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def case_row(case: Case) -> dict:
    return model_to_dict(Case.objects.get(pk=case.pk))


@contextmanager
def nothing_written(*cases: Case) -> Iterator[None]:
    """Assert the block changes no row count and none of the given cases' columns."""
    before_counts = row_counts()
    before_rows = [case_row(case) for case in cases]
    yield
    assert row_counts() == before_counts
    assert [case_row(case) for case in cases] == before_rows


def deactivated(user: User) -> User:
    """The user, freshly loaded after their staff profile was made inactive (left the company)."""
    from relaydesk.org.models import Staff

    Staff.objects.filter(user=user).update(active=False)
    return User.objects.select_related("staff").get(pk=user.pk)
