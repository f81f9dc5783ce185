"""Spells of ownership in a month: who touched which cases, and bare passes.

A spell runs from receiving a case to losing or solving it (DESIGN rule 9). The actions keep
one row per spell (cases.models.Spell, written by cases.spells.follow with each event, and
rebuilt from the events by `relaydesk manage rebuild_spells`), so the trail counts spells
instead of walking the events of every case.
"""

from collections import Counter
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from relaydesk.cases.models import Case, Event, Spell, Status
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
    not also receive them in it (one more query per kind of candidate, maybe_open_at_start).
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
    for holder, again in _held(month, with_again=True):
        if not again:
            counts[holder] += 1
    return counts


def maybe_open_at_start(month: Month) -> tuple[QuerySet[Case], QuerySet[Case]]:
    """The cases that may have been open at the month's first moment: the open ones (few;
    those opened later have no spell before it), and those opened before it and solved since
    (solved_at is the last solve: a reopen clears it, a solve sets it), each read by its own
    index (case_open_deadline_idx or case_status_recent_idx; case_solved_time_idx). Open ones
    are not narrowed to those opened before: SQLite would then walk case_opened_idx through
    the whole history instead."""
    solved_since = Case.objects.filter(
        solved_at__gte=month.start_utc, opened_at__lt=month.start_utc
    )
    return Case.objects.filter(status=Status.OPEN), solved_since


def ended_unsolved_since(month: Month) -> QuerySet[Case]:
    """The cases dismissed or merged (cases.dismissal, cases.merging) that were held at the
    month's first moment: a spell of theirs began before it and ended at or after it.
    Neither open nor solved, they are not among maybe_open_at_start's. Read from the few
    cases of those statuses (case_status_recent_idx), each looking at its own spells
    (spell_case_start_idx): spells begun before the start are the whole history before it."""
    start = month.start_utc
    spanning = Spell.objects.filter(case=OuterRef("pk"), started_at__lt=start, ended_at__gte=start)
    return Case.objects.filter(status__in=[Status.DISMISSED, Status.MERGED]).filter(
        Exists(spanning)
    )


def _held(month: Month, *, with_again: bool = False) -> list[tuple[int, Any]]:
    """(holder, whether they also received the case in the month) per case held at the
    month's first moment; or (case id, holder) pairs without `with_again`.

    Per candidate case one correlated lookup, its last spell begun before the start
    (spell_case_start_idx); the spells so found are read by their keys and kept when they
    had not ended by then. Reading each column through its own lookup made PostgreSQL's
    estimate high enough to compile the query (JIT), which cost a second."""
    start = month.start_utc
    last = (
        Spell.objects.filter(case=OuterRef("pk"), started_at__lt=start)
        .order_by("-started_at", "-id")
        .values("pk")[:1]
    )
    found: list[tuple[int, Any]] = []
    for candidates in (*maybe_open_at_start(month), ended_unsolved_since(month)):
        spells = Spell.objects.filter(
            Q(ended_at__isnull=True) | Q(ended_at__gte=start),
            pk__in=candidates.annotate(last=Subquery(last)).values("last"),
        )
        if with_again:
            again = Spell.objects.filter(
                _received_in(month), case=OuterRef("case"), holder=OuterRef("holder")
            )
            found.extend(spells.annotate(again=Exists(again)).values_list("holder", "again"))
        else:
            found.extend(spells.values_list("case", "holder"))
    return found


def held_at_start(month: Month) -> dict[int, int]:
    """Per case open at the month's first moment: who held it then (case id → user id), the
    holder of its last spell begun before the start, unless that spell had ended by then."""
    return dict(_held(month))


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
