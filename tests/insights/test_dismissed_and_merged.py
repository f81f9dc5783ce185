"""The trail after dismissals and merges: never a solve, still opened and touched, and the
holder's spell ends with them (the months after do not count the case as held)."""

from datetime import UTC, datetime

import pytest

from relaydesk.cases import actions
from relaydesk.insights.months import parse_month
from relaydesk.insights.person_month import spells_of
from relaydesk.insights.trail import as_report, compute_trail
from tests.factories import make_case, make_customer

ZONE = "Europe/Amsterdam"
OCT_20 = datetime(2026, 10, 20, 9, tzinfo=UTC)


def at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 10, tzinfo=UTC)


def report(month: str) -> dict:
    return as_report(compute_trail(parse_month(month, ZONE)))


def figures(trail: dict, username: str) -> dict:
    found = [p for p in trail["people"] if p["username"] == username]
    if not found:
        return {"touched": 0, "solved": 0, "passed": {"total": 0}, "pass_rate": None}
    return found[0]


@pytest.fixture
def history(cast, time_machine):
    """October: fran opens spam, a duplicate and the case it duplicates; sam opens one more.
    November: fran dismisses the spam, merges the duplicate and solves the kept case; sam's
    case, held since October, is dismissed by a lead."""
    carla = make_customer()
    time_machine.move_to(OCT_20, tick=False)
    spam = make_case(category=cast.billing, acting=cast.fran, subject="Cheap watches")
    kept = make_case(category=cast.billing, acting=cast.fran, customer=carla)
    duplicate = make_case(category=cast.billing, acting=cast.fran, customer=carla)
    test = make_case(category=cast.billing, acting=cast.sam, subject="Testing the form")
    time_machine.move_to(at(3), tick=False)
    actions.dismiss(spam, acting=cast.fran, reason="spam")
    time_machine.move_to(at(4), tick=False)
    actions.merge_cases(duplicate, into=kept, acting=cast.fran)
    time_machine.move_to(at(5), tick=False)
    actions.dismiss(test, acting=cast.mia, reason="test")
    time_machine.move_to(at(6), tick=False)
    actions.solve(kept, acting=cast.fran, resolution="Refunded", one_off_reason="Once")
    time_machine.move_to(at(5, 12), tick=False)
    return {"spam": spam, "kept": kept, "duplicate": duplicate, "test": test}


def test_cases_dismissed_or_merged_later_still_count_as_opened(history):
    assert report("2026-10")["overall"]["opened"] == 4


def test_only_the_real_solve_counts_in_the_month_of_the_dismissals_and_the_merge(cast, history):
    november = report("2026-11")

    assert november["overall"]["solved"] == 1
    assert november["overall"]["opened"] == 0
    fran, sam, mia = (figures(november, who) for who in ("fran", "sam", "mia"))
    assert (fran["solved"], fran["passed"]["total"], fran["pass_rate"]) == (1, 0, 0.0)
    assert (sam["solved"], sam["passed"]["total"], sam["pass_rate"]) == (0, 0, None)
    assert mia["solved"] == 0
    assert sum(tier["solved"] for tier in november["tiers"]) == 1


def test_the_cases_held_when_the_month_began_are_touched_though_dismissed_or_merged(history):
    november = report("2026-11")

    assert figures(november, "fran")["touched"] == 3  # spam, kept and duplicate
    assert figures(november, "sam")["touched"] == 1  # the test case, dismissed by mia
    assert figures(november, "mia")["touched"] == 0  # dismissing is not holding


def test_a_dismissed_or_merged_case_is_held_by_nobody_the_month_after(history):
    december = report("2026-12")

    assert figures(december, "fran")["touched"] == 0
    assert figures(december, "sam")["touched"] == 0
    assert december["overall"]["solved"] == 0


def test_a_dismissal_undone_gives_the_case_back_and_it_counts_again(cast, history, time_machine):
    time_machine.move_to(at(2, 12), tick=False)
    actions.reopen(history["test"], acting=cast.mia, why="It was a real customer after all.")
    time_machine.move_to(at(3, 12), tick=False)
    actions.solve(history["test"], acting=cast.sam, resolution="Answered", one_off_reason="Once")
    time_machine.move_to(at(5, 12), tick=False)

    december = report("2026-12")

    assert figures(december, "sam")["touched"] == 1
    assert figures(december, "sam")["solved"] == 1
    assert december["overall"]["opened"] == 0  # a reopening is not a new case


def test_their_month_says_the_spell_ended_with_the_dismissal_or_the_merge(cast, history):
    """Not "still held at the month's end": the dismissal and the merge ended the spells."""
    fran = {s.ref: s.ended for s in spells_of(cast.fran, parse_month("2026-11", ZONE))}
    sam = [s.ended for s in spells_of(cast.sam, parse_month("2026-11", ZONE))]

    assert fran == {
        history["spam"].ref: "dismissed",
        history["duplicate"].ref: "merged into another case",
        history["kept"].ref: "solved",
    }
    assert sam == ["dismissed"]
