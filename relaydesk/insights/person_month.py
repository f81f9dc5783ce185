"""One person's month: each spell they had (DESIGN rule 9) with how it ended and the acts
inside it, read from the events of the cases they held (three queries however many)."""

from dataclasses import dataclass, field
from datetime import datetime

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
# What the walk and the page read of an event (not its words or data beyond the direction).
EVENT_FIELDS = ("case", "kind", "actor", "at", "from_owner", "to_owner", "data")


@dataclass
class Spell:
    ref: str
    subject: str
    start: datetime | None  # None: held since before the month
    how_received: str
    end: datetime | None = None
    ended: str = STILL_HELD
    acts: list[Event] = field(default_factory=list)


def _ending(event: Event, user_id: int) -> str | None:
    """How `event` ends the spell of `user_id`, or None if it does not."""
    if event.kind == EventKind.SOLVED:
        return SOLVED
    if event.kind == EventKind.PASSED and event.from_owner_id == user_id:
        return f"passed {event.data.get('direction', '')}".strip()
    if event.kind == EventKind.TAKEN and event.to_owner_id != user_id:
        return TAKEN_FROM
    if event.kind == EventKind.ESCALATED and event.to_owner_id != user_id:
        return ESCALATED
    if event.kind in RECEIVING and event.to_owner_id not in (None, user_id):
        return f"{event.get_kind_display().lower()} to someone else"
    return None


def spells_of(user: User, month: Month) -> list[Spell]:
    """The person's spells that overlap the month, by the moment they began."""
    in_month = Q(at__gte=month.start_utc, at__lt=month.end_utc)
    received = set(
        Event.objects.filter(in_month, kind__in=RECEIVING, to_owner=user).values_list(
            "case_id", flat=True
        )
    )
    held = [case for case, holder in held_at_start(month).items() if holder == user.pk]
    current = {
        case_id: Spell(ref_for(case_id), subject, None, "held since before the month")
        for case_id, subject in Case.objects.filter(pk__in=held).values_list("pk", "subject")
    }
    spells = list(current.values())
    if not received and not held:
        return []
    events = (
        Event.objects.filter(in_month, case_id__in=received | set(held))
        .select_related("case")
        .only(*EVENT_FIELDS, "case__subject")
        .order_by("case_id", "id")
    )
    for event in events:
        _follow(event, user.pk, current, spells)
    spells.sort(key=lambda s: (s.start or month.start_utc, s.ref))
    return spells


def _follow(event: Event, user_id: int, current: dict[int, Spell], spells: list[Spell]) -> None:
    """One event of a case, in order: it ends the person's spell, is an act inside it, or
    begins a new one."""
    case_id = event.case_id
    spell = current.get(case_id)
    if spell is not None:
        ended = _ending(event, user_id)
        if ended is not None:
            spell.end, spell.ended = event.at, ended
            del current[case_id]
        elif event.actor_id == user_id:
            spell.acts.append(event)
    elif event.kind in RECEIVING and event.to_owner_id == user_id:
        how = event.get_kind_display().lower()
        current[case_id] = Spell(ref_for(case_id), event.case.subject, event.at, how)
        spells.append(current[case_id])
