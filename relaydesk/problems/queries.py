"""Reading problems: the ranking by recent cases, the weekly trend, one problem's story.

The ranking and the trend count a problem's `case_linked` events in their window, from one
partial index alone (problem_event_links_idx), so the problems page costs the recent links,
not a visit to each linked case. A case linked and later moved to another problem (or solved
as a one-off after an early link) still counts where and when it was linked; that is rare,
and checking each case's current problem made the page three times slower.

One problem's page lists its cases as they are now: a link counts there while its case still
names the problem, each case once.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from relaydesk.cases.models import Case, Event, EventKind, SurveyAnswer
from relaydesk.problems.models import Problem, ProblemEvent, ProblemEventKind, ProblemStatus

RECENT = timedelta(days=30)
TREND_WEEKS = 12
LISTED_CASES = 50
LISTED_WORDS = 20
LISTED_EVENTS = 200


def links() -> QuerySet[ProblemEvent]:
    return ProblemEvent.objects.filter(kind=ProblemEventKind.CASE_LINKED)


def with_recent_cases(problems: QuerySet[Problem], moment: datetime) -> QuerySet[Problem]:
    """`problems` annotated with `cases_30d`: cases linked in the 30 days up to `moment`."""
    recent = (
        links()
        .filter(problem=OuterRef("pk"), at__gt=moment - RECENT, at__lte=moment)
        .order_by()
        .values("problem")
        .annotate(n=Count("*"))
        .values("n")
    )
    return problems.annotate(
        cases_30d=Coalesce(Subquery(recent, output_field=IntegerField()), Value(0))
    )


@dataclass
class ProblemRow:
    problem: Problem
    cases_30d: int
    weeks: list[int] = field(default_factory=list)  # cases linked per week, oldest first


def week_starts(moment: datetime) -> list[datetime]:
    """The starts of the trend's weeks (seven days each, the last ending at `moment`)."""
    return [moment - timedelta(weeks=TREND_WEEKS - i) for i in range(TREND_WEEKS)]


def weekly_links(problem_ids: list[int], moment: datetime) -> dict[int, list[int]]:
    """Cases linked per week over the trend's weeks, for each problem: one grouped query."""
    starts = week_starts(moment)
    ends = [*starts[1:], moment]
    buckets = {
        f"w{i}": Count("at", filter=Q(at__gt=start, at__lte=end))
        for i, (start, end) in enumerate(zip(starts, ends, strict=True))
    }
    rows = (
        links()
        .filter(problem_id__in=problem_ids, at__gt=starts[0], at__lte=moment)
        .order_by()
        .values("problem_id")
        .annotate(**buckets)
    )
    found = {row["problem_id"]: [row[f"w{i}"] for i in range(TREND_WEEKS)] for row in rows}
    return {pk: found.get(pk, [0] * TREND_WEEKS) for pk in problem_ids}


def ranked_problems(moment: datetime, *, status: str = "", limit: int = 100) -> list[ProblemRow]:
    """The problems page: most cases in the last 30 days first, each with its trend (2 queries)."""
    problems = Problem.objects.select_related("owner")
    if status in ProblemStatus.values:
        problems = problems.filter(status=status)
    ranked = list(
        with_recent_cases(problems, moment).order_by("-cases_30d", "-created_at", "-id")[:limit]
    )
    trends = weekly_links([problem.pk for problem in ranked], moment)
    return [
        ProblemRow(problem=problem, cases_30d=problem.cases_30d, weeks=trends[problem.pk])  # type: ignore[attr-defined]  # annotated above
        for problem in ranked
    ]


@dataclass
class LinkedCase:
    case: Case
    linked_at: datetime
    after_fix: bool


@dataclass
class ProblemStory:
    problem: Problem
    events: list[ProblemEvent]
    linked: list[LinkedCase]
    linked_total: int
    fix_moment: datetime | None  # the last time it was marked fixed (None: never)
    before_fix: int
    after_fix: int
    survey_answers: list[SurveyAnswer]
    customer_words: list[Event]


def last_fix(problem: Problem) -> datetime | None:
    if problem.fixed_at is not None:
        return problem.fixed_at
    return (
        ProblemEvent.objects.filter(problem=problem, kind=ProblemEventKind.FIXED)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )


def timeline(problem: Problem) -> list[ProblemEvent]:
    """The problem's own history, newest first; cases linked are listed on their own."""
    events = (
        ProblemEvent.objects.filter(problem=problem)
        .exclude(kind=ProblemEventKind.CASE_LINKED)
        .select_related("actor", "owner", "case")
        .order_by("-at", "-id")
    )
    return list(events[:LISTED_EVENTS])


def linked_cases(problem: Problem, fix_moment: datetime | None) -> tuple[list[LinkedCase], dict]:
    """The newest linked cases, and the counts: all, before and after the last fix."""
    # The problem named twice, not `case__problem=F("problem")`: each side then has its own
    # index range (the problem's links, the problem's cases) for the planner to join.
    links = ProblemEvent.objects.filter(
        kind=ProblemEventKind.CASE_LINKED, problem=problem, case__problem=problem
    )
    # Never fixed: every case came before a fix, none after (far future, one query either way).
    after = Q(at__gte=fix_moment or datetime.max.replace(tzinfo=UTC))
    counts = links.aggregate(
        total=Count("case", distinct=True),
        before=Count("case", distinct=True, filter=~after),
        after=Count("case", distinct=True, filter=after),
    )
    rows, seen = [], set()
    newest = links.select_related("case").order_by("-at", "-id")
    for link in newest[: LISTED_CASES * 2]:  # a case linked twice is listed once
        if link.case_id in seen:
            continue
        seen.add(link.case_id)
        later = fix_moment is not None and link.at >= fix_moment
        rows.append(LinkedCase(case=link.case, linked_at=link.at, after_fix=later))
        if len(rows) == LISTED_CASES:
            break
    return rows, counts


def problem_story(problem: Problem) -> ProblemStory:
    """Everything the problem page shows, in a fixed number of queries."""
    fix_moment = last_fix(problem)
    linked, counts = linked_cases(problem, fix_moment)
    # The words of the cases listed (the newest linked ones), found from each case's events:
    # asked of all events by time, PostgreSQL walked the whole history backwards looking for
    # customers' words on a problem's cases (seconds at 20,000 cases).
    listed = [row.case.pk for row in linked]
    answers = (
        SurveyAnswer.objects.filter(case_id__in=listed)
        .filter(~Q(fix="") | ~Q(delighted=""))
        .select_related("case")
        .order_by("-answered_at", "-id")
    )
    words = (
        Event.objects.filter(case_id__in=listed, kind=EventKind.CUSTOMER_WROTE)
        .select_related("case")
        .order_by("-at", "-id")
    )
    return ProblemStory(
        problem=problem,
        events=timeline(problem),
        linked=linked,
        linked_total=counts["total"],
        fix_moment=fix_moment,
        before_fix=counts["before"],
        after_fix=counts["after"],
        survey_answers=list(answers[:LISTED_WORDS]),
        customer_words=list(words[:LISTED_WORDS]),
    )
