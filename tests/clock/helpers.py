"""Small shared helpers for the clock tests."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from relaydesk.cases.models import Case, Event, EventKind
from relaydesk.org.models import ExecutiveRota

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A Monday morning in the company's time zone (Europe/Amsterdam, UTC+1 in November).
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=AMSTERDAM)


def put_on_rota(user, starts_on: date, ends_on: date) -> ExecutiveRota:
    return ExecutiveRota.objects.create(staff=user.staff, starts_on=starts_on, ends_on=ends_on)


def events(case: Case, kind: str) -> list[Event]:
    return list(Event.objects.filter(case=case, kind=kind).order_by("at", "id"))


def escalations(case: Case) -> list[Event]:
    return events(case, EventKind.ESCALATED)


def fresh(case: Case) -> Case:
    return Case.objects.select_related("owner", "tier").get(pk=case.pk)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
