"""The trail of the scripted October (tests/insights/scripted.py), every figure by hand."""

from datetime import UTC, datetime, timedelta

import pytest

from relaydesk.insights.months import parse_month
from relaydesk.insights.trail import as_report, compute_trail
from tests.insights.scripted import script_october

ZONE = "Europe/Amsterdam"


def report(month: str) -> dict:
    return as_report(compute_trail(parse_month(month, ZONE)))


@pytest.fixture
def october(cast, time_machine):
    scripted = script_october(cast, time_machine)
    time_machine.move_to(datetime(2026, 12, 5, 12, tzinfo=UTC), tick=False)
    return scripted


def person(username, name, tier, **figures) -> dict:
    blank = {
        "username": username,
        "name": name,
        "tier": tier,
        "touched": 0,
        "solved": 0,
        "passed": {"up": 0, "same": 0, "down": 0, "total": 0},
        "taken": 0,
        "bare_passes": 0,
        "pass_rate": None,
        "tier_median_pass_rate": None,
        "deadlines_missed": 0,
        "replies": 0,
        "sent_anyway": 0,
        "waiting_hours": 0.0,
        "goodwill": {"count": 0, "value": "0.00"},
        "delighted": [],
    }
    return blank | figures


def test_october_runs_from_local_midnight_to_local_midnight_745_hours_long(october):
    trail = report("2026-10")

    assert (trail["month"], trail["time_zone"]) == ("2026-10", ZONE)
    assert trail["start"] == "2026-10-01T00:00:00+02:00"
    assert trail["end"] == "2026-11-01T00:00:00+01:00"
    start, end = datetime.fromisoformat(trail["start"]), datetime.fromisoformat(trail["end"])
    assert end - start == timedelta(hours=745)  # the night the clocks go back is 25 hours


def test_every_persons_october_figures(october):
    refs = {name: case.ref for name, case in october.cases.items()}
    frontline_median = (4 / 6 + 1 / 3) / 2

    people = report("2026-10")["people"]

    assert people == [
        # Frontline, by name. Fiona: C (taken from her), E, G (passed to her), J (passed up
        # after a gesture): solved E, G.
        person(
            "fiona",
            "Fiona Front",
            "frontline",
            touched=4,
            solved=2,
            passed={"up": 1, "same": 0, "down": 0, "total": 1},
            pass_rate=1 / 3,
            tier_median_pass_rate=frontline_median,
            goodwill={"count": 1, "value": "15.00"},
            delighted=[
                {
                    "ref": refs["E"],
                    "rating": 5,
                    "what_delighted": "Fiona sorted it before breakfast.",
                }
            ],
        ),
        # Fran: A (held at the month's start), B, C (taken), D, G. Passes: A after a note,
        # B bare, D after a reply (up); G bare after the low rating reopened it (same).
        person(
            "fran",
            "Fran Okafor",
            "frontline",
            touched=5,
            solved=2,
            passed={"up": 3, "same": 1, "down": 0, "total": 4},
            taken=1,
            bare_passes=2,
            pass_rate=4 / 6,
            tier_median_pass_rate=frontline_median,
            replies=1,
            sent_anyway=1,
        ),
        # Sam: A, B, H, J, I solved; F opened to him on 31 Oct, solved in November.
        person(
            "sam",
            "Sam Special",
            "specialist",
            touched=6,
            solved=5,
            pass_rate=0.0,
            tier_median_pass_rate=0.0,
            replies=2,
            waiting_hours=24.0,
        ),
        # Eve held D at its deadline: missed, escalated (not a pass of hers).
        person("eve", "Eve Expert", "expert", touched=1, deadlines_missed=1),
        # Mia passed H down after changing its details: not bare.
        person(
            "mia",
            "Mia Manager",
            "manager",
            touched=1,
            passed={"up": 0, "same": 0, "down": 1, "total": 1},
            pass_rate=1.0,
            tier_median_pass_rate=1.0,
        ),
        person(
            "ed",
            "Ed Exec",
            "executive",
            touched=1,
            solved=1,
            pass_rate=0.0,
            tier_median_pass_rate=0.0,
        ),
    ]


def test_the_pyramid_and_the_overall_block_of_october(october):
    trail = report("2026-10")

    assert trail["tiers"] == [
        {"slug": "frontline", "name": "Frontline", "rank": 0, "solved": 4},  # C, G, E, G again
        {"slug": "specialist", "name": "Specialist", "rank": 1, "solved": 5},  # A B H J I
        {"slug": "expert", "name": "Expert", "rank": 2, "solved": 0},
        {"slug": "manager", "name": "Manager", "rank": 3, "solved": 0},
        {"slug": "executive", "name": "Executive", "rank": 4, "solved": 1},  # D
    ]
    assert trail["overall"] == {
        "opened": 9,  # B C D G H J I E F; A was opened in September
        "solved": 10,
        "solved_before_deadline_share": 9 / 10,  # all but D
        # 0.5 (G) 0.83 (C) 2 (B) 2 (G again) 19.5 (E) | 23 (D) 24 (H) 26 (A) 26 (I) 30 (J):
        # E's night is 25 hours long, so the middle two are 19.5 and 23 (the wall clock's
        # 18.5 would make it 20.75).
        "median_hours_to_solve": (19.5 + 23) / 2,
        "realtime_share": 1 / 9,  # C
        "escalated": 1,  # D
        "survey_answers": 2,  # G's 1 and E's 5
        "delighted": 1,
        "goodwill_value": "15.00",  # J
        "waiting_hours": 24.0,  # I
        "top_problems": [
            {"id": october.p1.pk, "title": "Ticket machine double charge", "cases": 2},
            {"id": october.p2.pk, "title": "Invoice PDF missing", "cases": 1},
        ],
    }


def test_a_solve_at_half_past_midnight_on_the_1st_is_the_new_months(october):
    """F was solved on 1 Nov at 00:30 in Amsterdam, still 31 Oct 23:30 in UTC."""
    november = report("2026-11")

    sam = next(p for p in november["people"] if p["username"] == "sam")
    assert (sam["touched"], sam["solved"], sam["pass_rate"]) == (1, 1, 0.0)
    assert november["tiers"][1]["solved"] == 1
    assert november["overall"]["opened"] == 0
    assert november["overall"]["solved"] == 1
    assert november["overall"]["median_hours_to_solve"] == 4.5
    others = [p for p in november["people"] if p["username"] != "sam"]
    assert all(p["touched"] == p["solved"] == 0 for p in others)


def test_september_holds_only_the_case_opened_on_its_last_evening(october):
    september = report("2026-09")

    fran = next(p for p in september["people"] if p["username"] == "fran")
    assert fran["touched"] == 1
    assert september["overall"]["opened"] == 1
    assert september["overall"]["solved"] == 0
    assert september["overall"]["median_hours_to_solve"] is None
    assert september["overall"]["solved_before_deadline_share"] == 0.0  # a 0–1 float
