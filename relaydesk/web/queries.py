"""The lists the staff pages show. Each is a fixed, small number of queries (pinned in tests)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import User
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce

from relaydesk.cases.models import Case, Event, EventKind, Status, SurveyAnswer, ref_for
from relaydesk.org.models import Category, Staff, Tier
from relaydesk.timekeeping import now

PAGE_SIZE = 50
URGENT = ("deadline", "-realtime", "id")  # most urgent first: deadline, then realtime
FINISHED = ("-solved_at", "-id")  # solved and closed cases: the latest solve first
NEVER = datetime.min.replace(tzinfo=UTC)  # a finished case without a solve time sorts last
SOON = timedelta(hours=4)  # "due soon" in the counts and the lists' colours
OPEN_COUNT_CAP = 1000  # the directory counts up to here per person ("999+" beyond)


@dataclass(frozen=True)
class Page:
    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_number(raw: str | None) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), 10_000)


def _page(queryset: QuerySet, number: int, size: int = PAGE_SIZE) -> Page:
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])  # one extra row tells if there is a next page
    return Page(items=rows[:size], number=number, has_next=len(rows) > size)


# The columns the case lists show; loading only these keeps 50-row pages cheap.
LIST_COLUMNS = (
    "subject",
    "status",
    "realtime",
    "deadline",
    "waiting_since",  # rule 16: a waiting case shows since when instead of its countdown
    "last_activity_at",
    "solved_at",  # solved and closed cases show when
    "customer",
    "customer__name",
    "category",
    "category__name",
    "tier",
    "tier__name",
    "owner",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


OWNER_COLUMNS = ("owner", "owner__username", "owner__first_name", "owner__last_name")


def _case_rows(queryset: QuerySet, *, owner: bool = True) -> QuerySet:
    """The list columns with their customer, category and tier; and their owner, unless the
    list is the owner's own."""
    if owner:
        return queryset.select_related("customer", "category", "tier", "owner").only(*LIST_COLUMNS)
    columns = [c for c in LIST_COLUMNS if c not in OWNER_COLUMNS]
    return queryset.select_related("customer", "category", "tier").only(*columns)


@dataclass(frozen=True)
class Filters:
    """What a case list shows: open cases (the default) or solved or closed ones, of one
    category or all, realtime only, not realtime, or both."""

    status: str = Status.OPEN
    category: Category | None = None
    realtime: bool | None = None

    @property
    def open(self) -> bool:
        return self.status == Status.OPEN

    def apply(self, cases: QuerySet) -> QuerySet:
        cases = cases.filter(status=self.status)
        if self.category is not None:
            cases = cases.filter(category=self.category)
        if self.realtime is not None:
            cases = cases.filter(realtime=self.realtime)
        return cases


OPEN = Filters()


def finished(cases: QuerySet) -> QuerySet:
    """Solved or closed cases (of one owner or tier, one status), the latest solve first:
    a range of case_owner_finished_idx or case_tier_finished_idx."""
    return cases.order_by(*FINISHED)


def _with_closed_at(cases: QuerySet) -> QuerySet:
    """When each case closed (`closed_at`, its closed event's time): a subquery in the same
    query, not one per row."""
    closed = Event.objects.filter(case=OuterRef("pk"), kind=EventKind.CLOSED).order_by("-at")
    return cases.annotate(closed_at=Subquery(closed.values("at")[:1]))


def my_cases(user: User, number: int = 1, filters: Filters = OPEN) -> Page:
    """The person's open cases, most urgent first: deadline, then realtime (served by
    case_owner_queue_idx); or their solved or closed ones, the latest solve first (by
    case_owner_finished_idx)."""
    cases = filters.apply(Case.objects.filter(owner=user))
    if filters.open:
        return _page(_case_rows(cases.order_by(*URGENT), owner=False), number)
    return _page(_with_closed_at(_case_rows(finished(cases), owner=False)), number)


def my_counts(user: User) -> dict[str, int]:
    """Open, overdue and due-soon counts of the person's cases: one pass over the open range
    of case_owner_queue_idx (owner, status, deadline). A case waiting for the customer (rule
    16) is open but neither overdue nor due soon: its deadline is paused."""
    moment = now()
    running = Q(waiting_since__isnull=True)
    return Case.objects.filter(owner=user, status=Status.OPEN).aggregate(
        open=Count("deadline"),
        overdue=Count("deadline", filter=running & Q(deadline__lt=moment)),
        soon=Count(
            "deadline", filter=running & Q(deadline__gte=moment, deadline__lt=moment + SOON)
        ),
    )


def queue_tiers(staff: Staff | None) -> QuerySet:
    """The tiers whose cases this person may take: theirs and every tier below (rule 4)."""
    if staff is None:
        return Tier.objects.all()
    return Tier.objects.filter(rank__lte=staff.tier.rank)


MAX_QUEUE_PAGE = 100


def tier_queue(user: User, tiers: list[Tier], *, number: int = 1, filters: Filters = OPEN) -> Page:
    """Open cases at `tiers` that the person may take (not theirs), most urgent first; or,
    with solved or closed `filters`, every such case at `tiers`, the latest solve first
    (case_tier_finished_idx, the same way).

    Per tier, one ordered range of case_tier_queue_idx (tier, status, deadline) cut off at the
    page, as bare sort keys; merged here; then one query loads the page's rows. A single query
    over several tiers lets the database pick that index and then sort every open case of those
    tiers, which at a million cases is slow.
    """
    number = min(number, MAX_QUEUE_PAGE)
    want = number * PAGE_SIZE + 1
    keys: list[tuple] = []
    for tier in tiers:
        cases = filters.apply(Case.objects.filter(tier=tier))
        if filters.open:
            ranked = cases.exclude(owner=user).order_by(*URGENT)
            keys.extend(ranked.values_list("deadline", "realtime", "id")[:want])
        else:  # case_tier_finished_idx
            keys.extend(finished(cases).values_list("solved_at", "id")[:want])
    if filters.open:
        keys.sort(key=lambda key: (key[0], not key[1], key[-1]))  # URGENT
    else:
        keys.sort(key=lambda key: (key[0] or NEVER, key[-1]), reverse=True)  # FINISHED
    start = (number - 1) * PAGE_SIZE
    window = [key[-1] for key in keys[start : start + PAGE_SIZE + 1]]
    ids = window[:PAGE_SIZE]
    rows = _case_rows(Case.objects.filter(pk__in=ids))
    if not filters.open:
        rows = _with_closed_at(rows)
    loaded = {case.pk: case for case in rows} if ids else {}
    return Page(
        items=[loaded[pk] for pk in ids if pk in loaded],
        number=number,
        has_next=len(window) > PAGE_SIZE,
    )


def people_by_tier() -> list[tuple[Tier, list[Staff]]]:
    """Every active staff member with their open cases (`open_label`: "12", or "999+" at the
    cap), grouped by tier: one query."""
    # Each person's open cases are a range of case_owner_queue_idx (owner, status, …); a join
    # with a filtered COUNT would read every case each person ever owned. "999+" needs no
    # count: whether a person has an OPEN_COUNT_CAP-th open case is one OFFSET step along that
    # range, and only the people below the cap are counted: a person costs at most twice
    # OPEN_COUNT_CAP index entries, however long their backlog.
    open_cases = Case.objects.filter(owner=OuterRef("user_id"), status=Status.OPEN).order_by()
    at_cap = Exists(open_cases[OPEN_COUNT_CAP - 1 :])
    count = open_cases.values("owner").annotate(count=Count("*")).values("count")
    open_label = models.Case(
        models.When(at_cap, then=Value(f"{OPEN_COUNT_CAP - 1}+")),
        default=Cast(Coalesce(Subquery(count), 0), models.CharField()),
    )
    staff = (
        Staff.objects.filter(active=True, user__is_active=True)
        .select_related("user", "tier")
        .annotate(open_label=open_label)
        .order_by("tier__rank", "user__first_name", "user__last_name", "user__username")
    )
    groups: dict[int, tuple[Tier, list[Staff]]] = {}
    for person in staff:
        groups.setdefault(person.tier_id, (person.tier, []))[1].append(person)
    return list(groups.values())


def open_cases_of(user: User, number: int = 1) -> Page:
    return my_cases(user, number)


def delighted_customers(user: User, limit: int = 20) -> list[dict]:
    """The survey answers rated 5 credited to `user` (who solved those cases), newest first:
    the case's ref, the rating and what delighted the customer (rule 9)."""
    answers = (
        SurveyAnswer.objects.filter(solved_by=user, rating=5)
        .order_by("-answered_at", "-id")
        .values("case_id", "rating", "delighted", "answered_at")[:limit]
    )
    return [{**answer, "ref": ref_for(answer["case_id"])} for answer in answers]
