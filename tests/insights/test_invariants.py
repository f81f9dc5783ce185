"""What holds for the trail of any month of the demo's history (built through the actions)."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.db.models import Count

from relaydesk.cases.models import Event, EventKind
from relaydesk.insights.months import Month, month_of
from relaydesk.insights.spreadsheet import PEOPLE, write_csv
from relaydesk.insights.trail import as_report, compute_trail
from relaydesk.insights.weekly import solved_by_week
from relaydesk.org.company import company_time_zone
from relaydesk.setup.demo import build_demo

UNTIL = datetime(2026, 12, 5, 12, tzinfo=UTC)


def months_of_the_demo() -> list[Month]:
    zone = company_time_zone()
    first = month_of(Event.objects.order_by("at").values_list("at", flat=True)[0], zone)
    months, month = [], first
    while month.start <= month_of(UNTIL, zone).start:
        months.append(month)
        month = month_of(month.end_utc, zone)
    return months


def distinct_cases_solved(month: Month) -> dict[str, int]:
    rows = (
        Event.objects.filter(kind=EventKind.SOLVED, at__gte=month.start_utc, at__lt=month.end_utc)
        .values("actor__username")
        .annotate(cases=Count("case", distinct=True))
    )
    return {row["actor__username"]: row["cases"] for row in rows}


def csv_people(text: str) -> list[dict[str, str]]:
    rows = []
    for row in csv.reader(io.StringIO(text)):
        if not row:
            break
        rows.append(dict(zip(PEOPLE, row, strict=True)))
    return rows[1:]


def as_csv_cell(value) -> str:
    return "" if value is None else str(value)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [7, 2026])
def test_the_trail_of_every_demo_month_adds_up(seed, time_machine):
    time_machine.move_to(UNTIL, tick=False)
    build_demo(cases=80, seed=seed, until=UNTIL)
    months = months_of_the_demo()
    assert len(months) >= 3

    for month in months:
        report = as_report(compute_trail(month))
        overall, people = report["overall"], report["people"]
        solved_cases = distinct_cases_solved(month)

        assert sum(t["solved"] for t in report["tiers"]) == overall["solved"]
        assert sum(p["solved"] for p in people) == overall["solved"]
        for p in people:
            assert solved_cases.get(p["username"], 0) <= p["touched"], p["username"]
            assert p["bare_passes"] <= p["passed"]["total"]
            for rate in (p["pass_rate"], p["tier_median_pass_rate"]):
                assert rate is None or 0 <= rate <= 1
        assert overall["delighted"] <= overall["survey_answers"]
        weeks = solved_by_week(month)
        assert sum(w.solved for w in weeks) == overall["solved"]
        before = overall["solved_before_deadline_share"] * overall["solved"]
        assert sum(w.before_deadline for w in weeks) == pytest.approx(before)
        for share in (overall["solved_before_deadline_share"], overall["realtime_share"]):
            assert share is None or 0 <= share <= 1

        from_csv = csv_people(write_csv(report))
        assert [row["username"] for row in from_csv] == [p["username"] for p in people]
        for row, p in zip(from_csv, people, strict=True):
            assert row["touched"] == str(p["touched"])
            assert row["passed_total"] == str(p["passed"]["total"])
            assert row["bare_passes"] == str(p["bare_passes"])
            assert row["pass_rate"] == as_csv_cell(p["pass_rate"])
            assert row["tier_median_pass_rate"] == as_csv_cell(p["tier_median_pass_rate"])
            assert row["waiting_hours"] == str(p["waiting_hours"])
            assert row["delighted"] == str(len(p["delighted"]))

    touched = sum(p["touched"] for m in months for p in as_report(compute_trail(m))["people"])
    assert touched > 0  # the demo's history is in the trail at all
