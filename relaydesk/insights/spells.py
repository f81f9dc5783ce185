"""Spells of ownership, read from the events: who touched which cases, and bare passes.

A spell runs from receiving a case to losing or solving it (DESIGN rule 9). Per case, events
are written under the case's row lock, so their ids run in the order they happened: a spell
is the events between its receiving event and its end by id, even when a clock (a test's,
the demo's) gives several of them the same moment.
"""

from collections import Counter

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from relaydesk.cases.models import Case, Event, EventKind, Status
from relaydesk.insights.kinds import ACTS, OWNERSHIP, RECEIVING, SAME_HANDS
from relaydesk.insights.months import Month


def _in(month: Month) -> Q:
    return Q(at__gte=month.start_utc, at__lt=month.end_utc)


def touched(month: Month) -> Counter[int]:
    """Per person (user id): the distinct cases they owned at any moment of the month.

    The cases each person received in the month (one aggregate query), and the cases open at
    the month's start with their holder then, less those the same person also received in
    the month (two more).
    """
    counts: Counter[int] = Counter()
    received = (
        Event.objects.filter(_in(month), kind__in=RECEIVING, to_owner__isnull=False)
        .values("to_owner")
        .annotate(cases=Count("case", distinct=True))
        .order_by()
    )
    for row in received:
        counts[row["to_owner"]] += row["cases"]
    held = held_at_start(month)
    if held:
        still_open, solved_since = maybe_open_at_start(month)
        candidates = Q(case__in=still_open.values("pk")) | Q(case__in=solved_since.values("pk"))
        again = set(
            Event.objects.filter(_in(month), candidates, kind__in=RECEIVING)
            .values_list("case", "to_owner")
            .distinct()
        )
        for case_id, holder in held.items():
            if (case_id, holder) not in again:
                counts[holder] += 1
    return counts


def maybe_open_at_start(month: Month) -> tuple[QuerySet[Case], QuerySet[Case]]:
    """The cases that may have been open at the month's first moment: the open ones (few;
    those opened later have no event before it), and those opened before it and solved since
    (solved_at is the last solve: a reopen clears it, a solve sets it), each read by its own
    index (case_open_deadline_idx or case_status_recent_idx; case_solved_time_idx). Open ones
    are not narrowed to those opened before: SQLite would then walk case_opened_idx through
    the whole history instead."""
    solved_since = Case.objects.filter(
        solved_at__gte=month.start_utc, opened_at__lt=month.start_utc
    )
    return Case.objects.filter(status=Status.OPEN), solved_since


def held_at_start(month: Month) -> dict[int, int]:
    """Per case open at the month's first moment: who held it then (case id → user id), the
    receiver of its last ownership event before the start (unless that was a solve)."""
    start = month.start_utc
    last = Event.objects.filter(case=OuterRef("pk"), at__lt=start, kind__in=OWNERSHIP).order_by(
        "-at", "-id"
    )
    held: dict[int, int] = {}
    for candidates in maybe_open_at_start(month):
        rows = candidates.annotate(
            last_kind=Subquery(last.values("kind")[:1]),
            holder=Subquery(last.values("to_owner")[:1]),
        ).values_list("pk", "last_kind", "holder")
        for case_id, kind, holder in rows:
            if kind in RECEIVING and holder is not None:
                held[case_id] = holder
    return held


def bare_pass_events(month: Month) -> QuerySet[Event]:
    """The passes in the month whose spell holds no act of the passer's (ACTS) before them.

    The passer's last event on the case before the pass that either gave them the case or
    was an act of theirs: a receipt means nothing was done in between (bare). One correlated
    lookup per pass, walking the case's events back from it by (case, at).
    """
    mine = Q(kind__in=ACTS, actor=OuterRef("actor")) | (
        Q(kind__in=RECEIVING, to_owner=OuterRef("actor")) & ~SAME_HANDS
    )
    last_of_theirs = (
        Event.objects.filter(
            mine, case=OuterRef("case"), at__lte=OuterRef("at"), id__lt=OuterRef("pk")
        )
        .order_by("-at", "-id")
        .values("kind")[:1]
    )
    return (
        Event.objects.filter(_in(month), kind=EventKind.PASSED, actor__isnull=False)
        .annotate(last_of_theirs=Subquery(last_of_theirs))
        .filter(last_of_theirs__in=RECEIVING)
    )


def bare_passes(month: Month) -> Counter[int]:
    """Per passer: how many of their passes in the month were bare (bare_pass_events)."""
    rows = bare_pass_events(month).values("actor").annotate(passes=Count("id")).order_by()
    return Counter({row["actor"]: row["passes"] for row in rows})
