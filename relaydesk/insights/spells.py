"""Spells of ownership in a month: who touched which cases, and bare passes.

A spell runs from receiving a case to losing or solving it (DESIGN rule 9). The actions keep
one row per spell (cases.models.Spell, written by cases.spells.follow with each event, and
rebuilt from the events by `relaydesk manage rebuild_spells`), so the trail counts spells
instead of walking the events of every case.
"""

from collections import Counter

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from relaydesk.cases.models import Event, Spell
from relaydesk.cases.spells import passes_in
from relaydesk.insights.months import Month


def _received_in(month: Month) -> Q:
    return Q(started_at__gte=month.start_utc, started_at__lt=month.end_utc)


def touched(month: Month) -> Counter[int]:
    """Per person (user id): the distinct cases they owned at any moment of the month.

    The cases each person received in the month (one aggregate query over spell_start_idx;
    SQLite walks spell_holder_start_idx for the grouping instead and looks each spell up, but
    a distinct count per person in one query, which it reads from spell_start_idx, took
    PostgreSQL ten times as long), and the cases held at the month's start by someone who did
    not also receive them in it (spanning_start's spells).
    """
    counts: Counter[int] = Counter()
    received = (
        Spell.objects.filter(_received_in(month))
        .values("holder")
        .annotate(cases=Count("case", distinct=True))
        .order_by()
    )
    for row in received:
        counts[row["holder"]] += row["cases"]
    again = Spell.objects.filter(
        _received_in(month), case=OuterRef("case"), holder=OuterRef("holder")
    )
    for spanning in spanning_start(month):
        for holder, received_again in spanning.annotate(again=Exists(again)).values_list(
            "holder", "again"
        ):
            if not received_again:
                counts[holder] += 1
    return counts


def spanning_start(month: Month) -> tuple[QuerySet[Spell], QuerySet[Spell]]:
    """The spells held at the month's first moment: begun before it and not ended by then
    (a case has one such spell at most, its spells one after another). Those still held
    (spell_open_idx: the open spells, few) and those that ended at or after the start
    (spell_end_idx, covering: the spells ended since, not the whole history before the
    month, which spell_start_idx would walk), each its own query: in one, PostgreSQL read
    the rows of both indexes' matches from the table (measured: bench.trail)."""
    start = month.start_utc
    still = Spell.objects.filter(ended_at__isnull=True, started_at__lt=start)
    ended = Spell.objects.filter(ended_at__gte=start, started_at__lt=start)
    return still.order_by(), ended.order_by()


def _bare(month: Month) -> QuerySet[Spell]:
    return Spell.objects.filter(passes_in(month.start_utc, month.end_utc), acts=0)


def bare_pass_events(month: Month) -> QuerySet[Event]:
    """The passes in the month that ended a spell holding no act of the passer's (ACTS of
    cases.spells): the end events of those spells (spell_end_idx)."""
    return Event.objects.filter(pk__in=_bare(month).values("end_event"))


def bare_passes(month: Month) -> Counter[int]:
    """Per passer: how many of their passes in the month were bare (bare_pass_events)."""
    rows = _bare(month).values("end_actor").annotate(passes=Count("id")).order_by()
    return Counter({row["end_actor"]: row["passes"] for row in rows})
