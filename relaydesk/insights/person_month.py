"""One person's month: each spell they had (DESIGN rule 9) with how it ended and the acts
inside it.

The spells are the ones the actions keep (cases.models.Spell, rebuilt from the events by
`relaydesk manage rebuild_spells`): those the person received in the month and those they
held at its start, a few columns each however many. The page shows a hundred at a time, and
only the shown ones are dressed with their case's subject and the person's acts inside them
(one query each for the page), so a busy person's month does not read every event of every
case they held.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, overload

from django.contrib.auth.models import User
from django.db.models import Q

from relaydesk.cases import spells as kept
from relaydesk.cases.models import Case, Event, EventKind, ref_for
from relaydesk.cases.models import Spell as KeptSpell
from relaydesk.insights.months import Month
from relaydesk.insights.spells import spanning_start

# What ended a spell, as the page says it.
SOLVED = "solved"
TAKEN_FROM = "taken from them"
ESCALATED = "escalated"
STILL_HELD = "still held at the month's end"
HANDED_ON = "handed on when they left"
HELD_BEFORE = "held since before the month"
KIND_LABELS = dict(EventKind.choices)
ENDED_AS = {
    EventKind.SOLVED: SOLVED,
    EventKind.TAKEN: TAKEN_FROM,
    EventKind.ESCALATED: ESCALATED,
    kept.PASSED_UP: "passed up",
    kept.PASSED_SAME: "passed same",
    kept.PASSED_DOWN: "passed down",
    kept.LEFT: HANDED_ON,
}


@dataclass
class Act:
    label: str
    at: datetime


@dataclass
class Spell:
    ref: str
    subject: str
    start: datetime | None  # None: held since before the month
    how_received: str
    end: datetime | None = None
    ended: str = STILL_HELD
    acts: list[Act] = field(default_factory=list)


class Row(NamedTuple):
    """A kept spell's columns that the page needs."""

    case_id: int
    started_at: datetime
    start_how: str
    start_event_id: int
    ended_at: datetime | None
    end_how: str
    end_event_id: int | None


COLUMNS = Row._fields


def _ended(row: Row, month: Month) -> tuple[datetime | None, str]:
    """When and how the spell ended, as far as the month goes."""
    if row.ended_at is None or row.ended_at >= month.end_utc:
        return None, STILL_HELD
    how = ENDED_AS.get(row.end_how)
    if how is None:  # given to someone else by a reopening; closed, dismissed or merged
        label = KIND_LABELS.get(row.end_how, row.end_how).lower()
        how = f"{label} to someone else" if row.end_how in kept.RECEIVING else label
    return row.ended_at, how


class MonthSpells(Sequence[Spell]):
    """The person's spells that overlap the month, by the moment they began (those held since
    before it first), each dressed when it is read: a page's worth at a time."""

    def __init__(self, user: User, month: Month):
        self.user, self.month = user, month
        received = KeptSpell.objects.filter(
            holder=user, started_at__gte=month.start_utc, started_at__lt=month.end_utc
        )
        rows = [Row(*values) for values in received.order_by().values_list(*COLUMNS)]
        for spanning in spanning_start(month):
            rows.extend(Row(*v) for v in spanning.filter(holder=user).values_list(*COLUMNS))
        rows.sort(key=lambda r: (max(r.started_at, month.start_utc), ref_for(r.case_id)))
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Spell: ...

    @overload
    def __getitem__(self, index: slice) -> list[Spell]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return self._dressed(self.rows[index])
        return self._dressed([self.rows[index]])[0]

    def __iter__(self) -> Iterator[Spell]:
        return iter(self._dressed(self.rows))

    def _dressed(self, rows: list[Row]) -> list[Spell]:
        if not rows:
            return []
        month = self.month
        cases = {row.case_id for row in rows}
        subjects = dict(Case.objects.filter(pk__in=cases).values_list("pk", "subject"))
        acts = self._acts(cases)
        dressed = []
        for row in rows:
            end, ended = _ended(row, month)
            before = row.started_at < month.start_utc
            spell = Spell(
                ref_for(row.case_id),
                subjects.get(row.case_id, ""),
                None if before else row.started_at,
                HELD_BEFORE if before else KIND_LABELS[row.start_how].lower(),
                end,
                ended,
            )
            spell.acts = [
                Act(label, at)
                for event_id, label, at in acts.get(row.case_id, [])
                if event_id > row.start_event_id
                and (row.end_event_id is None or event_id < row.end_event_id)
            ]
            dressed.append(spell)
        return dressed

    def _acts(self, cases: set[int]) -> dict[int, list[tuple[int, str, datetime]]]:
        """The person's events in the month on these cases, by case, in order: those inside
        a spell of theirs are its acts (the events that begin or end it are its edges)."""
        in_month = Q(at__gte=self.month.start_utc, at__lt=self.month.end_utc)
        events = (
            Event.objects.filter(in_month, case__in=cases, actor=self.user)
            .order_by("case_id", "id")
            .values_list("case_id", "id", "kind", "at")
        )
        found: dict[int, list[tuple[int, str, datetime]]] = {}
        for case_id, event_id, kind, at in events:
            found.setdefault(case_id, []).append((event_id, KIND_LABELS.get(kind, kind), at))
        return found


def spells_of(user: User, month: Month) -> MonthSpells:
    """The person's spells that overlap the month, by the moment they began."""
    return MonthSpells(user, month)
