"""Spells of ownership (DESIGN rule 9), kept in step with the events that make them.

A spell runs from a person receiving a case (opened to them, passed, taken, escalated,
reopened to them) to losing or solving it. Every event goes through `follow` in the
transaction that writes it (cases.actions._event), under the case's row lock, so a case's
events arrive in the order of their ids: a receipt ends the case's open spell and starts the
receiver's, a solve or a close ends it, an act of the holder adds to its acts.

A spell ended by a solve also keeps the solve's time from the case's opening (or reopening)
and the problem it linked (`solve_time`, `solve_problem`): the trail's median time to solve
and top problems read them instead of the month's events.

`rebuild` computes the same rows from the events alone (the history is the truth), by the
same rules (`replay`), for `relaydesk manage rebuild_spells` and migration 0016 (0019 fills
the solves' columns of existing spells with `fill_solves`). `tests/cases/test_spells.py`
holds the two equal.
"""

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, NamedTuple

from django.db.models import (
    Case,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from relaydesk.cases.models import Event, EventKind, Spell

# The events that give a case to someone (their to_owner).
RECEIVING = frozenset(
    {
        EventKind.OPENED,
        EventKind.PASSED,
        EventKind.TAKEN,
        EventKind.ESCALATED,
        EventKind.REOPENED,
    }
)
# The events that end the open spell and give the case to nobody: a solve, a close, and a
# dismissal (no customer problem) or a merge into another case, which end it without a solve.
ENDING = frozenset({EventKind.SOLVED, EventKind.CLOSED, EventKind.DISMISSED, EventKind.MERGED_INTO})
# The holder's acts that make a pass not bare: notes, replies, details changes, files attached,
# goodwill given, and problem links made while holding the case (rule 9).
ACTS = frozenset(
    {
        EventKind.NOTE,
        EventKind.REPLIED,
        EventKind.FIELD_CHANGED,
        EventKind.MAIL_ATTACHED,
        EventKind.GOODWILL,
        EventKind.PROBLEM_LINKED,
    }
)
# How a spell ended, besides the event kinds solved, taken, escalated, closed, opened and
# reopened: a pass by its direction, or the holder leaving (leaving.py passes with no actor).
PASSED_UP, PASSED_SAME, PASSED_DOWN, LEFT = "passed_up", "passed_same", "passed_down", "left"
PASSES = (PASSED_UP, PASSED_SAME, PASSED_DOWN)
# The receipts that begin an opening of the case: a solve's time runs from the last of them.
OPENINGS = (EventKind.OPENED, EventKind.REOPENED)

# Told after each batch of cases (cases done, cases in all), e.g. for a progress bar.
Progress = Callable[[int, int], None]
BATCH = 2000  # cases a batch of the rebuild reads the events of

EVENT_FIELDS = (
    *("id", "case_id", "kind", "actor_id", "at", "from_owner_id", "to_owner_id"),
    *("from_tier_id", "to_tier_id", "data__direction", "data__left", "data__problem_id"),
)


def receives(kind: str, from_owner: int | None, to_owner: int | None) -> bool:
    """Whether the event starts a spell: it gives the case to someone, and not to the one who
    held it already (an escalation to the executive who held the case changes no spell)."""
    if kind not in RECEIVING or to_owner is None:
        return False
    return not (kind == EventKind.ESCALATED and from_owner == to_owner)


def end_how(kind: str, actor: int | None, data: dict[str, Any] | None) -> str:
    """How the spell that the event ends ended."""
    if kind == EventKind.PASSED:
        if actor is None and (data or {}).get("left"):
            return LEFT
        return f"passed_{(data or {}).get('direction') or 'same'}"
    return str(kind)


def _ends(kind: str, from_owner: int | None, to_owner: int | None) -> bool:
    return kind in ENDING or receives(kind, from_owner, to_owner)


def problem_of(data: dict[str, Any] | None) -> int | None:
    """The problem a solve linked, as its event's data names it (None: a one-off)."""
    value = data.get("problem_id") if isinstance(data, dict) else None
    return None if value is None or value == "" else int(value)


def _opening_at(spell_model: Any = Spell) -> Case:
    """For a spell (the outer row): when the case's opening it belongs to began, the start of
    the spell itself when an opening or reopening gave it, else of the case's last such spell
    before it (spell_case_start_idx, a few rows a case)."""
    before = (
        spell_model.objects.filter(
            case=OuterRef("case"),
            start_how__in=OPENINGS,
            started_at__lte=OuterRef("started_at"),
            id__lt=OuterRef("pk"),
        )
        .order_by("-started_at", "-id")
        .values("started_at")[:1]
    )
    return Case(
        When(start_how__in=OPENINGS, then=F("started_at")),
        default=Subquery(before),
        output_field=DateTimeField(),
    )


def _since_opening(moment: Combinable, spell_model: Any = Spell) -> ExpressionWrapper:
    return ExpressionWrapper(moment - _opening_at(spell_model), output_field=DurationField())


def follow(event: Event) -> None:
    """Keep the case's spells in step with one new event (in the event's transaction)."""
    kind = event.kind
    if kind in ACTS:
        if event.actor_id is not None:
            Spell.objects.filter(
                case_id=event.case_id, ended_at__isnull=True, holder_id=event.actor_id
            ).update(acts=F("acts") + 1)
        return
    if not _ends(kind, event.from_owner_id, event.to_owner_id):
        return
    solve: dict[str, Any] = {}
    if kind == EventKind.SOLVED:
        at = Value(event.at, output_field=DateTimeField())
        solve = {"solve_time": _since_opening(at), "solve_problem": problem_of(event.data)}
    Spell.objects.filter(case_id=event.case_id, ended_at__isnull=True).update(
        ended_at=event.at,
        end_event=event,
        end_how=end_how(kind, event.actor_id, event.data),
        end_actor_id=event.actor_id,
        end_tier_id=event.from_tier_id,
        **solve,
    )
    receiver = event.to_owner_id
    if receiver is not None and receives(kind, event.from_owner_id, receiver):
        Spell.objects.create(
            case_id=event.case_id,
            holder_id=receiver,
            tier_id=event.to_tier_id,
            started_at=event.at,
            start_event=event,
            start_how=kind,
        )


class EventRow(NamedTuple):
    """An event's fields, as the rebuild reads them (EVENT_FIELDS): of its data, only what
    end_how reads, extracted by the database rather than decoded here."""

    id: int
    case_id: int
    kind: str
    actor_id: int | None
    at: datetime
    from_owner_id: int | None
    to_owner_id: int | None
    from_tier_id: int | None
    to_tier_id: int | None
    direction: str | None
    left: str | None
    problem_id: Any


def replay(rows: Iterable[EventRow], spell_model: Any = Spell) -> list[Any]:
    """The spells (unsaved) of the given events, given by case then id: follow's rules in
    memory. A spell is a dict of its fields until the end (a model instance costs more)."""
    spells: list[dict[str, Any]] = []
    held: dict[str, Any] | None = None
    openings: list[dict[str, Any]] = []  # the case's spells an opening or reopening began
    case_id = None
    for e in rows:
        if e.case_id != case_id:
            held, case_id, openings = None, e.case_id, []
        if e.kind in ACTS:
            if held is not None and e.actor_id == held["holder_id"]:
                held["acts"] += 1
            continue
        if not _ends(e.kind, e.from_owner_id, e.to_owner_id):
            continue
        if held is not None:
            held["ended_at"], held["end_event_id"] = e.at, e.id
            held["end_how"] = end_how(
                e.kind, e.actor_id, {"direction": e.direction, "left": e.left}
            )
            held["end_actor_id"], held["end_tier_id"] = e.actor_id, e.from_tier_id
            if e.kind == EventKind.SOLVED:
                opened = _replayed_opening(held, openings)
                held["solve_time"] = e.at - opened if opened is not None else None
                held["solve_problem"] = problem_of({"problem_id": e.problem_id})
            held = None
        if receives(e.kind, e.from_owner_id, e.to_owner_id):
            held = {
                "case_id": e.case_id,
                "holder_id": e.to_owner_id,
                "tier_id": e.to_tier_id,
                "started_at": e.at,
                "start_event_id": e.id,
                "start_how": e.kind,
                "acts": 0,
            }
            spells.append(held)
            if e.kind in OPENINGS:
                openings.append(held)
    # Positional values in the model's field order: Model(**kwargs) cost most of a rebuild.
    order = [field.attname for field in spell_model._meta.concrete_fields]
    blank = dict.fromkeys(order)
    blank.update(ended_at=None, end_event_id=None, end_how="", end_actor_id=None)
    blank.update(solve_time=None, solve_problem=None)
    return [spell_model(*({**blank, **fields}[name] for name in order)) for fields in spells]


def _replayed_opening(spell: dict[str, Any], openings: list[dict[str, Any]]) -> datetime | None:
    """_opening_at's rule in memory: the spell's own start when an opening gave it, else the
    latest (by start, then order made) opening spell of the case begun no later than it."""
    if spell["start_how"] in OPENINGS:
        return spell["started_at"]
    earlier = [s for s in openings if s is not spell and s["started_at"] <= spell["started_at"]]
    if not earlier:
        return None
    latest = max(range(len(earlier)), key=lambda n: (earlier[n]["started_at"], n))
    return earlier[latest]["started_at"]


def fill_solves(event_model: Any = Event, spell_model: Any = Spell) -> int:
    """Set the solves' columns of every spell a solve ended, from the spells and the solve
    events, in one UPDATE (migration 0019 on an existing history); returns how many."""
    problem = Subquery(
        event_model.objects.filter(pk=OuterRef("end_event"), data__has_key="problem_id")
        .exclude(data__problem_id=None)  # a one-off (JSON null: SQLite's text of it is 'null')
        .annotate(problem=Cast(KeyTextTransform("problem_id", "data"), IntegerField()))
        .values("problem")[:1]
    )
    return spell_model.objects.filter(end_how=EventKind.SOLVED).update(
        solve_time=_since_opening(F("ended_at"), spell_model), solve_problem=problem
    )


def _rows(event_model: Any, first: int, last: int) -> Iterator[EventRow]:
    """The events of cases first..last that matter to spells, by case and id."""
    kinds = sorted(RECEIVING | ENDING | ACTS)
    query = (
        event_model.objects.filter(case_id__gte=first, case_id__lte=last)
        .filter(kind__in=kinds)
        .order_by("case_id", "id")
        .values_list(*EVENT_FIELDS)
    )
    for values in query.iterator(chunk_size=5000):
        yield EventRow(*values)


def rebuild(
    event_model: Any = Event,
    spell_model: Any = Spell,
    *,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> int:
    """Delete every spell and write them again from the events; returns how many. Takes the
    models so that migration 0016 can run it with its historical ones. Run it in a
    transaction (the command and the migration do), so no half-built spells are ever read."""
    spell_model.objects.all().delete()
    top = event_model.objects.aggregate(top=Max("case_id"))["top"] or 0
    written = 0
    for first in range(1, top + 1, batch):
        last = min(first + batch - 1, top)
        spells = replay(_rows(event_model, first, last), spell_model)
        spell_model.objects.bulk_create(spells, batch_size=1000)
        written += len(spells)
        if progress is not None:
            progress(last, top)
    return written


def open_spell(case_id: int) -> Spell | None:
    """The case's spell that has not ended (one at most: a database constraint)."""
    return Spell.objects.filter(case_id=case_id, ended_at__isnull=True).first()


def passes_in(start: datetime, end: datetime) -> Q:
    """Spells ended by a pass (by someone, not by leaving) in [start, end)."""
    return Q(ended_at__gte=start, ended_at__lt=end, end_how__in=PASSES, end_actor__isnull=False)
