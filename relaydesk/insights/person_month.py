"""One person's month: each spell they had (DESIGN rule 9) with how it ended and the acts
inside it, read from the events of the cases they held (five queries however many)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.contrib.auth.models import User
from django.db.models import Q

from relaydesk.cases.models import Case, Event, EventKind, ref_for
from relaydesk.insights.kinds import RECEIVING
from relaydesk.insights.months import Month
from relaydesk.insights.spells import held_at_start

# What ended a spell, as the page says it.
SOLVED = "solved"
TAKEN_FROM = "taken from them"
ESCALATED = "escalated"
STILL_HELD = "still held at the month's end"
HANDED_ON = "handed on when they left"
KIND_LABELS = dict(EventKind.choices)


class Step(NamedTuple):
    """What the walk reads of an event: plain values, not model instances (a busy person's
    month is thousands of events)."""

    case_id: int
    kind: str
    actor_id: int | None
    at: datetime
    from_owner_id: int | None
    to_owner_id: int | None
    direction: str | None
    subject: str


STEP_COLUMNS = (
    "case_id",
    "kind",
    "actor_id",
    "at",
    "from_owner_id",
    "to_owner_id",
    "data__direction",
    "case__subject",
)


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


def _ending(step: Step, user_id: int) -> str | None:
    """How `step` ends the spell of `user_id`, or None if it does not."""
    if step.kind == EventKind.SOLVED:
        return SOLVED
    if step.kind == EventKind.PASSED and step.from_owner_id == user_id:
        if step.actor_id is None:  # the system's: handed on as they left (cases.leaving)
            return HANDED_ON
        return f"passed {step.direction or ''}".strip()
    if step.kind == EventKind.TAKEN and step.to_owner_id != user_id:
        return TAKEN_FROM
    if step.kind == EventKind.ESCALATED and step.to_owner_id != user_id:
        return ESCALATED
    if step.kind in RECEIVING and step.to_owner_id not in (None, user_id):
        return f"{KIND_LABELS[step.kind].lower()} to someone else"
    return None


def spells_of(user: User, month: Month) -> list[Spell]:
    """The person's spells that overlap the month, by the moment they began."""
    in_month = Q(at__gte=month.start_utc, at__lt=month.end_utc)
    received = set(
        Event.objects.filter(in_month, kind__in=RECEIVING, to_owner=user).values_list(
            "case_id", flat=True
        )
    )
    held = list(held_at_start(month, holder=user.pk))
    current = {
        case_id: Spell(ref_for(case_id), subject, None, "held since before the month")
        for case_id, subject in Case.objects.filter(pk__in=held).values_list("pk", "subject")
    }
    spells = list(current.values())
    if not received and not held:
        return []
    steps = (
        Event.objects.filter(in_month, case_id__in=received | set(held))
        .order_by("case_id", "id")
        .values_list(*STEP_COLUMNS)
    )
    for row in steps:
        _follow(Step(*row), user.pk, current, spells)
    spells.sort(key=lambda s: (s.start or month.start_utc, s.ref))
    return spells


def _follow(step: Step, user_id: int, current: dict[int, Spell], spells: list[Spell]) -> None:
    """One event of a case, in order: it ends the person's spell, is an act inside it, or
    begins a new one."""
    spell = current.get(step.case_id)
    if spell is not None:
        ended = _ending(step, user_id)
        if ended is not None:
            spell.end, spell.ended = step.at, ended
            del current[step.case_id]
        elif step.actor_id == user_id:
            spell.acts.append(Act(KIND_LABELS.get(step.kind, step.kind), step.at))
    elif step.kind in RECEIVING and step.to_owner_id == user_id:
        how = KIND_LABELS[step.kind].lower()
        current[step.case_id] = Spell(ref_for(step.case_id), step.subject, step.at, how)
        spells.append(current[step.case_id])
