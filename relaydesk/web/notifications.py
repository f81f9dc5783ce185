"""The bell: a person's notifications grouped by case, unread first.

A line is read only once the person has seen what it is about: they open its case (from the
bell or any other way: the case page marks that case's lines read), or they say so ("Mark
read" on a case's group, "Mark all read"). Looking at the bell itself marks nothing.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest

from relaydesk.cases.models import Case, Notification
from relaydesk.timekeeping import now
from relaydesk.web.header import header_facts

UNREAD_SHOWN = 200  # the newest unread lines; the header counts them all
READ_SHOWN = 50  # the newest lines already read, for context
OTHER = "other"  # the group of lines about no case


@dataclass
class Group:
    """One case's lines (or the lines about no case), newest first."""

    case: Case | None
    lines: list[Notification] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.case.ref if self.case is not None else OTHER

    @property
    def unread(self) -> int:
        return sum(1 for line in self.lines if line.read_at is None)

    @property
    def newest(self) -> datetime:
        return self.lines[0].created_at


def _lines(user: User):
    return Notification.objects.filter(user=user).select_related("case").order_by("-created_at")


def groups_for(user: User) -> list[Group]:
    """Every case with unread lines first (the newest unread first), then the cases whose
    lines are all read: two queries, the unread ones along notification_unread_idx."""
    unread = list(_lines(user).filter(read_at__isnull=True)[:UNREAD_SHOWN])
    read = list(_lines(user).filter(read_at__isnull=False)[:READ_SHOWN])
    groups: dict[int | None, Group] = {}
    for line in unread + read:
        groups.setdefault(line.case_id, Group(line.case)).lines.append(line)
    for group in groups.values():
        group.lines.sort(key=lambda line: line.created_at, reverse=True)
    return sorted(groups.values(), key=lambda group: (group.unread == 0, -group.newest.timestamp()))


def mark_read(user: User, *, case_id: int | None = None, other: bool = False) -> int:
    """Mark the person's unread lines read: all of them, one case's (`case_id`), or those
    about no case (`other`). Returns how many."""
    lines = Notification.objects.filter(user=user, read_at__isnull=True)
    if case_id is not None:
        lines = lines.filter(case_id=case_id)
    elif other:
        lines = lines.filter(case__isnull=True)
    return lines.update(read_at=now())


def mark_case_read(request: HttpRequest, case: Case) -> None:
    """The person opened the case: what the bell told them about it is read.

    The header's facts (its one query, which counts unread lines) are read first and kept for
    the page, so a person with nothing unread, the usual case, costs the page no query more.
    """
    user = cast(User, request.user)  # staff_required let only a signed-in person in
    # Only when a line about this case is unread (the header's query says so): on SQLite an
    # UPDATE takes the one write lock (waiting for mail intake and the worker) even when it
    # matches no row, and a person's unread lines are usually about other cases.
    facts = header_facts(user, case_id=case.pk)
    if facts.unread_here:
        marked = mark_read(user, case_id=case.pk)
        facts = replace(facts, unread=facts.unread - marked, unread_here=False)
    request.relaydesk_header_facts = facts  # type: ignore[attr-defined]
