"""The trail's counts of events in a month, each one aggregate query (DESIGN rule 9)."""

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from relaydesk.cases.models import DayCount, Event, EventKind, Spell
from relaydesk.insights.months import Month
from relaydesk.problems.models import Problem

TOP_PROBLEMS = 5
# An escalation is written by the worker's sweep soon after the deadline; one written up to
# this long after the month still counts for a deadline that fell inside it.
ESCALATION_LATE = timedelta(days=7)


def _in(month: Month) -> Q:
    return Q(at__gte=month.start_utc, at__lt=month.end_utc)


@dataclass
class Acts:
    """One person's acts in the month, and their solves per tier (the tier they solved at)."""

    solved: int = 0
    solved_before_deadline: int = 0
    up: int = 0
    same: int = 0
    down: int = 0
    taken: int = 0
    replies: int = 0
    sent_anyway: int = 0
    solved_at_tier: dict[int, int] = field(default_factory=dict)


def _days(month: Month) -> Q:
    """The month's local days: the roll-ups' days are in the company's zone, the month's."""
    return Q(day__gte=month.start.date(), day__lt=month.end.date())


def acts_by_person(month: Month) -> dict[int, Acts]:
    """Solves, passes by direction, takes, replies and replies sent anyway, per person: the
    month's daily roll-ups (cases.day_counts, kept by the actions) summed by the actor and
    the tier they acted at (a solve's tier is the pyramid's), one query."""
    rows = (
        DayCount.objects.filter(_days(month), person__isnull=False)
        .values("person", "tier")
        .annotate(
            solved_sum=Sum("solved"),
            before=Sum("solved_before_deadline"),
            up=Sum("passed_up"),
            same=Sum("passed_same"),
            down=Sum("passed_down"),
            taken_sum=Sum("taken"),
            replies_sum=Sum("replies"),
            anyway=Sum("sent_anyway"),
        )
        .order_by()
    )
    people: dict[int, Acts] = {}
    for row in rows:
        acts = people.setdefault(row["person"], Acts())
        acts.solved += row["solved_sum"]
        acts.solved_before_deadline += row["before"]
        acts.up += row["up"]
        acts.same += row["same"]
        acts.down += row["down"]
        acts.taken += row["taken_sum"]
        acts.replies += row["replies_sum"]
        acts.sent_anyway += row["anyway"]
        if row["solved_sum"] and row["tier"] is not None:
            tier = row["tier"]
            acts.solved_at_tier[tier] = acts.solved_at_tier.get(tier, 0) + row["solved_sum"]
    return people


def openings(month: Month) -> dict[str, int]:
    """New cases (not reopenings), how many in the realtime lane, and escalations: the
    month's daily roll-ups of everyone and the system summed."""
    totals = DayCount.objects.filter(_days(month)).aggregate(
        opened_sum=Sum("opened"), realtime_sum=Sum("realtime"), escalated_sum=Sum("escalated")
    )
    return {
        "opened": totals["opened_sum"] or 0,
        "realtime": totals["realtime_sum"] or 0,
        "escalated": totals["escalated_sum"] or 0,
    }


def median_hours_to_solve(month: Month, solves: int) -> float | None:
    """The median of the month's solves' time from their opening (or reopening), in real
    hours: the spells the solves ended keep that time (cases.spells, `solve_time`), and the
    database sorts the month's (spell_solve_time_idx) and hands over the middle one or two,
    instead of every solve's pair of moments."""
    if not solves:
        return None
    times = solve_times(month)
    count = times.count()
    if not count:
        return None
    middle = (count - 1) // 2
    ordered = times.order_by("solve_time").values_list("solve_time", flat=True)
    picked = list(ordered[middle : middle + 2 - count % 2])
    return statistics.median([t.total_seconds() / 3600 for t in picked if t is not None])


def top_problems(month: Month) -> list[dict[str, Any]]:
    """Up to five problems by the cases linked to them (by solving) in the month, most first:
    the spells the month's solves ended, which keep the problem each linked
    (spell_solve_problem_idx), not the month's events."""
    rows = list(problems_linked(month).order_by("-cases", "solve_problem")[:TOP_PROBLEMS])
    ids = [row["solve_problem"] for row in rows]
    titles = dict(Problem.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [
        {"id": pid, "title": titles.get(pid, ""), "cases": row["cases"]}
        for pid, row in zip(ids, rows, strict=True)
    ]


def problems_linked(month: Month) -> QuerySet[Spell, dict[str, Any]]:
    """Per problem: the distinct cases the month's solves linked to it."""
    return (
        Spell.objects.filter(
            ended_at__gte=month.start_utc,
            ended_at__lt=month.end_utc,
            solve_problem__isnull=False,
        )
        .values("solve_problem")
        .annotate(cases=Count("case", distinct=True))
    )


def deadlines_missed(month: Month, people: list[int]) -> dict[int, int]:
    """Per person (of the user ids given): deadlines that fell in the month while they held
    the case, unsolved (each one is an `escalated` event, by the holder at the deadline,
    naming the deadline). Read per holder from the escalations' own index
    (event_escalated_from_idx, (from_owner, at) of escalations only), not the month's events."""
    rows = escalations_from(month, people).values_list("from_owner", "data__deadline")
    missed: dict[int, int] = {}
    for holder, deadline in rows:
        if deadline and month.holds(datetime.fromisoformat(deadline)):
            missed[holder] = missed.get(holder, 0) + 1
    return missed


def escalations_from(month: Month, people: list[int]) -> QuerySet[Event]:
    """The escalations away from these people written in the month or up to a week after."""
    return Event.objects.filter(
        kind=EventKind.ESCALATED,
        from_owner__in=people,
        at__gte=month.start_utc,
        at__lt=month.end_utc + ESCALATION_LATE,
    ).order_by()


def solve_times(month: Month) -> QuerySet[Spell]:
    """The spells the month's solves ended, with their time from the opening."""
    return Spell.objects.filter(
        ended_at__gte=month.start_utc, ended_at__lt=month.end_utc, solve_time__isnull=False
    )
