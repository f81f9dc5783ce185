"""`relaydesk report YYYY-MM [--json | --csv]`: the trail on a terminal, as JSON, as CSV."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from relaydesk import cli
from relaydesk.cases import actions
from relaydesk.insights.months import parse_month
from relaydesk.insights.spreadsheet import PEOPLE, safe_cell
from relaydesk.insights.trail import as_report, compute_trail
from tests.insights.scripted import script_october

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(cast, time_machine):
    scripted = script_october(cast, time_machine)
    time_machine.move_to(datetime(2026, 12, 5, 12, tzinfo=UTC), tick=False)
    return scripted


def run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def csv_blocks(text: str) -> list[list[list[str]]]:
    blocks: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(text)):
        if row:
            blocks[-1].append(row)
        else:
            blocks.append([])
    return blocks


def test_json_is_the_apis_trail(october):
    printed = json.loads(run("2026-10", "--json"))

    assert printed == as_report(compute_trail(parse_month("2026-10", "Europe/Amsterdam")))


def test_the_relaydesk_command_prints_it(october, capsys):
    cli.main(["report", "2026-10", "--json"])

    assert json.loads(capsys.readouterr().out)["overall"]["solved"] == 10


def test_csv_has_the_jsons_figures(october):
    report = json.loads(run("2026-10", "--json"))

    people, tiers, overall, problems, delighted = csv_blocks(run("2026-10", "--csv"))

    assert people[0] == PEOPLE
    fran = dict(zip(PEOPLE, next(row for row in people if row[0] == "fran"), strict=True))
    assert fran["passed_up"] == "3" and fran["bare_passes"] == "2"
    assert float(fran["pass_rate"]) == 4 / 6
    eve = dict(zip(PEOPLE, next(row for row in people if row[0] == "eve"), strict=True))
    assert eve["pass_rate"] == ""  # no passes, no solves: null in the JSON
    assert [row[3] for row in tiers[1:]] == [str(t["solved"]) for t in report["tiers"]]
    figures = dict(overall[1:])
    assert figures["month"] == "2026-10"
    assert float(figures["median_hours_to_solve"]) == report["overall"]["median_hours_to_solve"]
    assert [int(row[2]) for row in problems[1:]] == [2, 1]
    assert delighted[1][1:] == [october.cases["E"].ref, "5", "Fiona sorted it before breakfast."]


def test_no_csv_cell_can_start_a_formula(cast, time_machine, october):
    cast.fran.first_name = "=cmd|' /C calc'!A0"
    cast.fran.save()
    g = october.cases["G"]
    time_machine.move_to(datetime(2026, 10, 20, 9, tzinfo=UTC), tick=False)
    actions.answer_survey(g, rating=5, delighted='@SUM(1+1)*cmd|" /C calc"!A0')
    time_machine.move_to(datetime(2026, 12, 5, 12, tzinfo=UTC), tick=False)

    text = run("2026-10", "--csv")

    cells = [cell for block in csv_blocks(text) for row in block for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=cmd|' /C calc'!A0 Okafor" in cells
    assert '\'@SUM(1+1)*cmd|" /C calc"!A0' in cells


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_starting_a_formula_is_neutralised(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell("Fran") == "Fran"
    assert safe_cell(0.5) == 0.5
    assert safe_cell(None) == ""


def test_on_a_terminal_it_prints_tables(october):
    text = run("2026-10")

    assert "The trail of 2026-10 (Europe/Amsterdam)" in text
    assert "Fran Okafor (fran)" in text
    assert "Median hours to solve" in text
    assert "Ticket machine double charge" in text


def test_without_a_month_it_is_this_month(cast, time_machine):
    time_machine.move_to(datetime(2026, 12, 5, 12, tzinfo=UTC), tick=False)

    assert json.loads(run("--json"))["month"] == "2026-12"


@pytest.mark.parametrize("month", ["2026-13", "last month", "2026-1"])
def test_a_wrong_month_is_said_plainly(cast, month):
    with pytest.raises(CommandError, match="is not a month"):
        run(month)


def test_a_month_not_begun_has_no_trail(cast, time_machine):
    time_machine.move_to(datetime(2026, 12, 5, 12, tzinfo=UTC), tick=False)

    with pytest.raises(CommandError, match="2027-01 has not begun yet"):
        run("2027-01")
