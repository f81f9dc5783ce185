"""The "due soon" query: open cases whose deadline is within a few hours, by owner."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User

from relaydesk.cases.models import Case, Status

WINDOW = timedelta(hours=4)
LIMIT = 500  # a page a lead can read; beyond that the page says how many more there are


@dataclass(frozen=True)
class DueCase:
    case: Case
    time_left: str
    overdue: bool


@dataclass
class OwnerGroup:
    owner: User
    cases: list[DueCase] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.owner.get_full_name() or self.owner.username


def time_left(deadline: datetime, moment: datetime) -> str:
    seconds = int((deadline - moment).total_seconds())
    late = seconds < 0
    minutes = abs(seconds) // 60
    words = f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
    return f"overdue by {words}" if late else f"{words} left"


def due_soon(
    moment: datetime, *, window: timedelta = WINDOW, limit: int = LIMIT
) -> tuple[list[OwnerGroup], int]:
    """(groups by owner, the most pressed owner first; total count). Uses case_open_deadline_idx."""
    # A case waiting for the customer (rule 16) has its deadline paused: not due.
    due = Case.objects.filter(
        status=Status.OPEN, waiting_since__isnull=True, deadline__lte=moment + window
    )
    rows = list(
        due.select_related("owner", "tier", "category", "customer").order_by("deadline", "id")[
            :limit
        ]
    )
    total = len(rows) if len(rows) < limit else due.count()
    groups: dict[int, OwnerGroup] = {}
    for case in rows:
        assert case.owner is not None  # open cases always have an owner (a constraint)
        due_case = DueCase(case, time_left(case.deadline, moment), case.deadline <= moment)
        groups.setdefault(case.owner.pk, OwnerGroup(case.owner)).cases.append(due_case)
    return list(groups.values()), total
