"""Daily counts kept by the actions (cases.day_counts.count) equal counts rebuilt from events."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from relaydesk.cases import actions, day_counts
from relaydesk.cases.models import DayCount, Event, EventKind
from relaydesk.org.models import Company
from relaydesk.setup.demo import build_demo
from tests import factories
from tests.insights.scripted import script_october

FIELDS = ("key", "day", "person_id", "tier_id", *day_counts.FIELDS)


def kept() -> list[tuple]:
    return list(DayCount.objects.order_by("key").values_list(*FIELDS))


def rebuilt_equals_kept() -> list[tuple]:
    live = kept()
    assert day_counts.rebuild() == len(live)
    assert kept() == live
    return live


def total(name: str) -> int:
    return sum(getattr(row, name) for row in DayCount.objects.all())


@pytest.mark.django_db
def test_counts_of_the_scripted_october_are_the_events_counts(cast, time_machine):
    script_october(cast, time_machine)
    live = rebuilt_equals_kept()
    assert live
    events = Event.objects.all()
    assert total("solved") == events.filter(kind=EventKind.SOLVED).count()
    assert total("opened") == events.filter(kind=EventKind.OPENED).count()
    assert total("taken") == events.filter(kind=EventKind.TAKEN).count()
    assert total("escalated") == events.filter(kind=EventKind.ESCALATED).count() > 0
    passes = events.filter(kind=EventKind.PASSED, data__direction="up").count()
    assert total("passed_up") == passes > 0
    assert total("replies") == events.filter(kind=EventKind.REPLIED).count() > 0
    fran_solves = events.filter(kind=EventKind.SOLVED, actor=cast.fran).count()
    assert sum(r.solved for r in DayCount.objects.filter(person=cast.fran)) == fran_solves


@pytest.mark.django_db
def test_an_event_counts_on_its_local_day_and_one_row_gathers_a_day(cast, time_machine):
    # 23:30 UTC on 31 October is 00:30 on 1 November in Amsterdam (the company's zone).
    time_machine.move_to(datetime(2026, 10, 31, 23, 30, tzinfo=UTC), tick=False)
    first = factories.make_case(category=cast.billing, acting=cast.fran)
    factories.make_case(category=cast.billing, acting=cast.fran)
    actions.take(first, acting=cast.sam)
    rows = DayCount.objects.filter(day=date(2026, 11, 1))
    opened = rows.get(person=cast.fran)
    assert (opened.opened, opened.taken) == (2, 0)
    took = rows.get(person=cast.sam)
    assert (took.taken, took.opened, took.tier_id) == (1, 0, first.tier_id)
    assert not DayCount.objects.filter(day=date(2026, 10, 31)).exists()
    rebuilt_equals_kept()


@pytest.mark.django_db
def test_another_time_zone_moves_the_days_and_the_rebuild_follows_it(cast, time_machine):
    time_machine.move_to(datetime(2026, 10, 31, 23, 30, tzinfo=UTC), tick=False)
    factories.make_case(category=cast.billing, acting=cast.fran)
    assert day_counts.rebuild(time_zone="UTC") == 1
    assert DayCount.objects.get().day == date(2026, 10, 31)
    call_command("rebuild_day_counts")  # the company's zone, Amsterdam
    assert DayCount.objects.get().day == date(2026, 11, 1)


@pytest.mark.django_db
def test_the_rebuild_command_writes_the_same_counts(cast, time_machine, capsys):
    script_october(cast, time_machine)
    live = kept()
    DayCount.objects.all().delete()
    call_command("rebuild_day_counts")
    assert kept() == live
    out = capsys.readouterr().out
    assert f"{len(live):,} daily counts built" in out
    assert "Europe/Amsterdam" in out and "depend on the time zone" in out


@pytest.mark.django_db
def test_migration_0018_builds_the_counts_of_an_existing_history(cast, time_machine):
    """An upgraded install: the migration's models (as 0018 left them) give the same rows."""
    script_october(cast, time_machine)
    live = kept()
    DayCount.objects.all().delete()
    state = MigrationLoader(connection).project_state(("cases", "0018_day_counts"))
    day_counts.rebuild(
        state.apps.get_model("cases", "Event"),
        state.apps.get_model("cases", "DayCount"),
        time_zone="Europe/Amsterdam",
    )
    assert kept() == live


@pytest.mark.django_db
def test_counts_of_the_demo_history_are_the_events_counts(time_machine):
    until = datetime(2026, 12, 5, 12, tzinfo=UTC)
    time_machine.move_to(until, tick=False)
    build_demo(cases=80, seed=7, until=until)
    live = rebuilt_equals_kept()
    assert total("opened") == Event.objects.filter(kind=EventKind.OPENED).count() >= 80
    assert total("solved") > 0 and total("passed_up") > 0
    assert len({row[1] for row in live}) > 5  # many days


@pytest.mark.django_db
def test_saving_the_company_with_another_zone_rebuilds_the_days(cast, time_machine):
    time_machine.move_to(datetime(2026, 10, 31, 23, 30, tzinfo=UTC), tick=False)
    factories.make_case(category=cast.billing, acting=cast.fran)
    assert DayCount.objects.get().day == date(2026, 11, 1)  # Amsterdam
    company = Company.objects.get()
    company.name = "Renamed"
    company.save()  # the same zone: nothing moves
    assert DayCount.objects.get().day == date(2026, 11, 1)
    company.time_zone = "America/New_York"
    company.save()
    assert DayCount.objects.get().day == date(2026, 10, 31)
    rebuilt_equals_kept()
