"""Spells of ownership, read from the events: who touched which cases, and bare passes.

A spell runs from receiving a case to losing or solving it (DESIGN rule 9). Per case, events
are written under the case's row lock, so their ids run in the order they happened: a spell
is the events between its receiving event and its end by id, even when a clock (a test's,
the demo's) gives several of them the same moment.
"""

from collections import Counter

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from relaydesk.cases.models import Case, Event, EventKind
from relaydesk.insights.kinds import ACTS, OWNERSHIP, RECEIVING, SAME_HANDS
from relaydesk.insights.months import Month


def _in(month: Month) -> Q:
    return Q(at__gte=month.start_utc, at__lt=month.end_utc)


def touched(month: Month) -> Counter[int]:
    """Per person (user id): the distinct cases they owned at any moment of the month.

    Two aggregate queries: the cases each person received in the month, and the cases open at
    the month's start with their holder then (the last ownership event before it, a solve
    meaning nobody held it), less those the same person also received in the month.
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
    for holder in held_at_start(month):
        counts[holder] += 1
    return counts


def held_at_start(month: Month) -> list[int]:
    """The holder of each case open at the month's first moment that they did not also
    receive during the month (those the received count has already)."""
    start = month.start_utc
    last = Event.objects.filter(case=OuterRef("pk"), at__lt=start, kind__in=OWNERSHIP).order_by(
        "-at", "-id"
    )
    received_again = Event.objects.filter(
        _in(month), case=OuterRef("pk"), to_owner=OuterRef("holder"), kind__in=RECEIVING
    )
    # Not open at the start: opened later, or solved before it and not reopened since
    # (solved_at is the last solve; a reopen clears it). The rest is decided by the events.
    candidates = Case.objects.filter(opened_at__lt=start).exclude(solved_at__lt=start)
    rows = (
        candidates.annotate(
            last_kind=Subquery(last.values("kind")[:1]),
            holder=Subquery(last.values("to_owner")[:1]),
        )
        .filter(last_kind__in=RECEIVING, holder__isnull=False)
        .annotate(again=Exists(received_again))
        .filter(again=False)
        .values_list("holder", flat=True)
    )
    return list(rows)


def bare_passes(month: Month) -> Counter[int]:
    """Per passer: passes in the month whose spell holds no act of theirs (ACTS) before it."""
    spell_start = (
        Event.objects.filter(
            case=OuterRef("case"),
            kind__in=RECEIVING,
            to_owner=OuterRef("actor"),
            id__lt=OuterRef("pk"),
        )
        .exclude(SAME_HANDS)
        .order_by("-id")
        .values("id")[:1]
    )
    acted = Event.objects.filter(
        case=OuterRef("case"),
        actor=OuterRef("actor"),
        kind__in=ACTS,
        id__lt=OuterRef("pk"),
        id__gt=OuterRef("spell_start"),
    )
    rows = (
        Event.objects.filter(_in(month), kind=EventKind.PASSED, actor__isnull=False)
        .annotate(spell_start=Coalesce(Subquery(spell_start), Value(0)))
        .annotate(acted=Exists(acted))
        .filter(acted=False)
        .values("actor")
        .annotate(passes=Count("id"))
        .order_by()
    )
    return Counter({row["actor"]: row["passes"] for row in rows})
