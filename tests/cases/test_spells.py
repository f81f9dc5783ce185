"""Spells kept by the actions (cases.spells.follow) equal spells rebuilt from the events."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from relaydesk.cases import actions, spells
from relaydesk.cases.models import Spell
from relaydesk.setup.demo import build_demo
from tests import factories
from tests.insights.scripted import script_october

FIELDS = (
    *("case_id", "holder_id", "tier_id", "started_at", "start_event_id", "start_how"),
    *("ended_at", "end_event_id", "end_how", "end_actor_id", "end_tier_id", "acts"),
)


# What a spell ended by a solve keeps for the trail (cases 0019).
SOLVE_FIELDS = ("solve_time", "solve_problem")


def kept(fields: tuple[str, ...] = FIELDS) -> list[tuple]:
    return list(Spell.objects.order_by("case_id", "start_event_id").values_list(*fields))


def rebuilt_equals_kept() -> list[tuple]:
    live = kept()
    whole = kept(FIELDS + SOLVE_FIELDS)
    assert spells.rebuild(batch=3) == len(live)
    assert kept() == live
    assert kept(FIELDS + SOLVE_FIELDS) == whole
    return live


@pytest.mark.django_db
def test_spells_of_the_scripted_october_are_the_events_spells(cast, time_machine):
    october = script_october(cast, time_machine)
    live = rebuilt_equals_kept()
    by_case = {}
    for row in live:
        by_case.setdefault(row[0], []).append(dict(zip(FIELDS, row, strict=True)))

    a = by_case[october.cases["A"].pk]  # fran notes, passes up to sam; sam solves
    assert [(s["holder_id"], s["start_how"], s["end_how"], s["acts"]) for s in a] == [
        (cast.fran.pk, "opened", "passed_up", 1),
        (cast.sam.pk, "passed", "solved", 0),
    ]
    assert a[1]["end_actor_id"] == cast.sam.pk
    assert a[1]["end_tier_id"] == cast.tiers["specialist"].pk
    b = by_case[october.cases["B"].pk]  # fran passes bare; sam replies, solves
    assert [(s["end_how"], s["acts"]) for s in b] == [("passed_up", 0), ("solved", 1)]
    c = by_case[october.cases["C"].pk]  # fiona opens, fran takes and solves
    assert [(s["holder_id"], s["end_how"]) for s in c] == [
        (cast.fiona.pk, "taken"),
        (cast.fran.pk, "solved"),
    ]
    assert c[0]["end_actor_id"] == cast.fran.pk
    d = by_case[october.cases["D"].pk]  # fran replies, passes to eve; escalated to ed
    assert [(s["holder_id"], s["end_how"], s["acts"]) for s in d] == [
        (cast.fran.pk, "passed_up", 1),
        (cast.eve.pk, "escalated", 0),
        (cast.ed.pk, "solved", 0),
    ]
    assert d[1]["end_actor_id"] is None  # the system escalates
    g = by_case[october.cases["G"].pk]  # solved, reopened by a rating to fran, passed bare
    assert [(s["holder_id"], s["start_how"], s["end_how"]) for s in g] == [
        (cast.fran.pk, "opened", "solved"),
        (cast.fran.pk, "reopened", "passed_same"),
        (cast.fiona.pk, "passed", "solved"),
    ]
    j = by_case[october.cases["J"].pk]  # goodwill is an act
    assert [(s["end_how"], s["acts"]) for s in j] == [("passed_up", 1), ("solved", 0)]
    assert all(s["ended_at"] is not None for rows in by_case.values() for s in rows)


@pytest.mark.django_db
def test_an_open_case_has_one_open_spell_and_a_close_ends_nothing_twice(cast, time_machine):
    time_machine.move_to(datetime(2026, 10, 1, 9, tzinfo=UTC), tick=False)
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    actions.add_note(case, acting=cast.sam, body="Not the holder's: no act of the spell's.")
    actions.take(case, acting=cast.sam)
    actions.add_note(case, acting=cast.sam, body="Mine now.")
    held = spells.open_spell(case.pk)
    assert held is not None
    assert (held.holder_id, held.start_how, held.acts) == (cast.sam.pk, "taken", 1)
    first = Spell.objects.get(case=case, holder=cast.fran)
    assert (first.end_how, first.acts, first.end_actor_id) == ("taken", 0, cast.sam.pk)
    rebuilt_equals_kept()


@pytest.mark.django_db
def test_the_rebuild_command_writes_the_same_spells(cast, time_machine, capsys):
    script_october(cast, time_machine)
    live = kept()
    Spell.objects.all().delete()
    call_command("rebuild_spells")
    assert kept() == live
    assert f"{len(live):,} spells built" in capsys.readouterr().out


@pytest.mark.django_db
def test_migration_0016_builds_the_spells_of_an_existing_history(cast, time_machine):
    """An upgraded install: the migration's models (as 0016 left them) give the same spells."""
    script_october(cast, time_machine)
    live = kept()
    Spell.objects.all().delete()
    state = MigrationLoader(connection).project_state(("cases", "0016_spell"))
    spells.rebuild(state.apps.get_model("cases", "Event"), state.apps.get_model("cases", "Spell"))
    assert kept() == live


@pytest.mark.django_db
def test_migration_0019_fills_the_solves_of_existing_spells(cast, time_machine):
    """An upgraded install: spells without the solves' columns get what the actions keep."""
    october = script_october(cast, time_machine)
    whole = kept(FIELDS + SOLVE_FIELDS)
    Spell.objects.update(solve_time=None, solve_problem=None)
    state = MigrationLoader(connection).project_state(("cases", "0019_spell_solves"))
    filled = spells.fill_solves(
        state.apps.get_model("cases", "Event"), state.apps.get_model("cases", "Spell")
    )
    assert kept(FIELDS + SOLVE_FIELDS) == whole
    assert filled == Spell.objects.filter(end_how="solved").count()
    a = Spell.objects.get(case=october.cases["A"], end_how="solved")
    opening = Spell.objects.get(case=october.cases["A"], start_how="opened")
    assert a.solve_time == a.ended_at - opening.started_at  # from the opening, across the pass


@pytest.mark.django_db
def test_a_solve_keeps_its_time_from_the_reopening_and_the_problem_it_linked(cast, time_machine):
    time_machine.move_to(datetime(2026, 10, 1, 9, tzinfo=UTC), tick=False)
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    time_machine.move_to(datetime(2026, 10, 1, 11, tzinfo=UTC), tick=False)
    actions.solve(case, acting=cast.fran, resolution="Refunded.", one_off_reason="Once.")
    time_machine.move_to(datetime(2026, 10, 2, 9, tzinfo=UTC), tick=False)
    actions.reopen(case, acting=cast.fran, why="Charged again.")
    time_machine.move_to(datetime(2026, 10, 2, 10, tzinfo=UTC), tick=False)
    actions.take(case, acting=cast.sam)
    time_machine.move_to(datetime(2026, 10, 2, 12, 30, tzinfo=UTC), tick=False)
    actions.solve(case, acting=cast.sam, resolution="Refunded.", new_problem_title="Double charge")
    case.refresh_from_db()
    solves = Spell.objects.filter(case=case, end_how="solved").order_by("started_at")
    assert [(s.solve_time, s.solve_problem) for s in solves] == [
        (timedelta(hours=2), None),
        (timedelta(hours=3, minutes=30), case.problem_id),  # from the reopening at 9:00
    ]
    rebuilt_equals_kept()


@pytest.mark.django_db
def test_spells_of_the_demo_history_are_the_events_spells(time_machine):
    until = datetime(2026, 12, 5, 12, tzinfo=UTC)
    time_machine.move_to(until, tick=False)
    build_demo(cases=80, seed=7, until=until)
    live = rebuilt_equals_kept()
    assert len(live) > 80
    assert {row[FIELDS.index("end_how")] for row in live} >= {"solved", "passed_up", "taken"}


@pytest.mark.django_db
def test_a_dismissal_and_a_merge_end_the_spell_and_a_reopen_starts_one(cast, time_machine):
    time_machine.move_to(datetime(2026, 10, 1, 9, tzinfo=UTC), tick=False)
    spam = factories.make_case(category=cast.billing, acting=cast.fran)
    customer = factories.make_customer()
    kept_case = factories.make_case(category=cast.billing, acting=cast.sam, customer=customer)
    duplicate = factories.make_case(category=cast.billing, acting=cast.fran, customer=customer)
    actions.dismiss(spam, acting=cast.fran, reason="spam")
    actions.merge_cases(duplicate, into=kept_case, acting=cast.fran)

    assert spells.open_spell(spam.pk) is None
    assert spells.open_spell(duplicate.pk) is None
    assert Spell.objects.get(case=spam).end_how == "dismissed"
    assert Spell.objects.get(case=duplicate).end_how == "merged_into"
    actions.reopen(spam, acting=cast.fran, why="Not spam after all.")
    held = spells.open_spell(spam.pk)
    assert held is not None and held.start_how == "reopened"
    rebuilt_equals_kept()
