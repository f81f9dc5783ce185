"""Daily roll-ups of the events the trail counts (DESIGN rule 9), kept in step with them.

Every event goes through `count` in the transaction that writes it (cases.actions._event):
an event of a counted kind adds to the row of its local day (the company's time zone), its
actor and the tier the case was at before it. A month is [1st 00:00, next 1st) local, so
the days of a month sum exactly to it.

`rebuild` computes the same rows from the events alone (the history is the truth) with the
filters `TALLIES` gives, for `relaydesk manage rebuild_day_counts` and migration 0018;
`tests/cases/test_day_counts.py` holds the two equal. The rows' days are local: after the
company's time zone changes they must be rebuilt: saving the company with another zone
rebuilds them in the save's transaction (`zone_saving`/`zone_saved`, connected in
cases.apps; a bulk `update()` of the company bypasses them: run the command then).
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Min, Q
from django.db.models.functions import TruncDate

from relaydesk.cases.models import DayCount, Event, EventKind
from relaydesk.org.company import company_time_zone
from relaydesk.org.models import Company

COUNTED = (
    EventKind.OPENED,
    EventKind.ESCALATED,
    EventKind.SOLVED,
    EventKind.PASSED,
    EventKind.TAKEN,
    EventKind.REPLIED,
)
FIELDS = (
    *("solved", "solved_before_deadline", "passed_up", "passed_same", "passed_down"),
    *("taken", "replies", "sent_anyway", "opened", "realtime", "escalated"),
)

# Told after each month of the rebuild (months done, months in all), e.g. for a progress bar.
Progress = Callable[[int, int], None]


def _kind_and(kind: str, **data: object) -> Q:
    """An event of `kind` whose data says so (the kind tested first: the database reads the
    JSON only of the events of that kind)."""
    return Q(kind=kind) & Q(**data)


def tallies() -> dict[str, Count]:
    """Each field's count over events, as the rebuild (and the trail before the roll-ups)
    reads them; `increments` is the same rule for one event."""
    return {
        "solved": Count("id", filter=Q(kind=EventKind.SOLVED)),
        "solved_before_deadline": Count(
            "id", filter=_kind_and(EventKind.SOLVED, data__before_deadline=True)
        ),
        "passed_up": Count("id", filter=_kind_and(EventKind.PASSED, data__direction="up")),
        "passed_same": Count("id", filter=_kind_and(EventKind.PASSED, data__direction="same")),
        "passed_down": Count("id", filter=_kind_and(EventKind.PASSED, data__direction="down")),
        "taken": Count("id", filter=Q(kind=EventKind.TAKEN)),
        "replies": Count("id", filter=Q(kind=EventKind.REPLIED)),
        "sent_anyway": Count("id", filter=_kind_and(EventKind.REPLIED, data__send_anyway=True)),
        "opened": Count("id", filter=Q(kind=EventKind.OPENED)),
        "realtime": Count("id", filter=_kind_and(EventKind.OPENED, data__realtime=True)),
        "escalated": Count("id", filter=Q(kind=EventKind.ESCALATED)),
    }


def increments(kind: str, data: dict[str, Any] | None) -> dict[str, int]:
    """What one event adds to its day's row (only the fields it adds to)."""
    data = data if isinstance(data, dict) else {}
    adds: dict[str, int] = {}
    if kind == EventKind.SOLVED:
        adds["solved"] = 1
        if data.get("before_deadline") is True:
            adds["solved_before_deadline"] = 1
    elif kind == EventKind.PASSED:
        direction = data.get("direction")
        if direction in ("up", "same", "down"):
            adds[f"passed_{direction}"] = 1
    elif kind == EventKind.TAKEN:
        adds["taken"] = 1
    elif kind == EventKind.REPLIED:
        adds["replies"] = 1
        if data.get("send_anyway") is True:
            adds["sent_anyway"] = 1
    elif kind == EventKind.OPENED:
        adds["opened"] = 1
        if data.get("realtime") is True:
            adds["realtime"] = 1
    elif kind == EventKind.ESCALATED:
        adds["escalated"] = 1
    return adds


def key_of(day: date, person: int | None, tier: int | None) -> str:
    return f"{day.isoformat()}|{person if person is not None else '-'}|{tier or '-'}"


def count(event: Event) -> None:
    """Add one new event to its day's row (in the event's transaction). The row is made when
    missing; two transactions making the same row at once (PostgreSQL: the second waits on
    the unique key, then fails) end with the loser adding to the winner's row."""
    adds = increments(event.kind, event.data) if event.kind in COUNTED else {}
    if not adds:
        return
    day = event.at.astimezone(ZoneInfo(company_time_zone())).date()
    key = key_of(day, event.actor_id, event.from_tier_id)
    changes = {name: F(name) + n for name, n in adds.items()}
    if DayCount.objects.filter(key=key).update(**changes):
        return
    try:
        with transaction.atomic():
            DayCount.objects.create(
                key=key, day=day, person_id=event.actor_id, tier_id=event.from_tier_id, **adds
            )
        return
    except IntegrityError:
        pass
    DayCount.objects.filter(key=key).update(**changes)


def _month_starts(first: datetime, last: datetime, zone: ZoneInfo) -> list[datetime]:
    """The local months' starts from the one holding `first` to the one after `last`."""
    local = first.astimezone(zone)
    start = datetime(local.year, local.month, 1, tzinfo=zone)
    starts = [start]
    while starts[-1] <= last:
        following = starts[-1] + timedelta(days=32)
        starts.append(datetime(following.year, following.month, 1, tzinfo=zone))
    return starts


def rebuild(
    event_model: Any = Event,
    day_model: Any = DayCount,
    *,
    time_zone: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Delete every row and write them again from the events, a local month at a time (one
    grouped query each); returns how many. Takes the models so that migration 0018 can run
    it with its historical ones. Run it in a transaction (the command and the migration do)."""
    zone = ZoneInfo(time_zone or company_time_zone())
    day_model.objects.all().delete()
    counted = event_model.objects.filter(kind__in=COUNTED)
    span = counted.aggregate(first=Min("at"), last=Max("at"))
    if span["first"] is None:
        return 0
    starts = _month_starts(span["first"], span["last"], zone)
    written = 0
    for done, (start, end) in enumerate(zip(starts, starts[1:], strict=False), start=1):
        rows = (
            counted.filter(at__gte=start, at__lt=end)
            .annotate(day=TruncDate("at", tzinfo=zone))
            .values("day", "actor", "from_tier")
            .annotate(**tallies())
            .order_by()
        )
        made = [
            day_model(
                key=key_of(row["day"], row["actor"], row["from_tier"]),
                day=row["day"],
                person_id=row["actor"],
                tier_id=row["from_tier"],
                **{name: row[name] for name in FIELDS},
            )
            for row in rows
            if any(row[name] for name in FIELDS)
        ]
        day_model.objects.bulk_create(made, batch_size=1000)
        written += len(made)
        if progress is not None:
            progress(done, len(starts) - 1)
    return written


def zone_saving(sender: type[Company], instance: Company, **kwargs: Any) -> None:
    """pre_save of the company: remember the zone the rows were counted in."""
    if instance.pk is not None:
        stored = Company.objects.filter(pk=instance.pk).values_list("time_zone", flat=True)
        instance.day_counts_zone_was = stored.first()  # type: ignore[attr-defined]


def zone_saved(sender: type[Company], instance: Company, created: bool, **kwargs: Any) -> None:
    """post_save of the company: a new zone moves every local day, so the rows are built
    again from the events, in the save's transaction (minutes for millions of events)."""
    was = getattr(instance, "day_counts_zone_was", None)
    if created or was is None or was == instance.time_zone:
        return
    with transaction.atomic():
        rebuild(time_zone=instance.time_zone)
