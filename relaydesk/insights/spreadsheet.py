"""The trail as CSV: the report's figures in blocks a spreadsheet opens, one blank line
between them (people, tiers, overall, top problems, delighted customers).

No cell can start a formula: customers write the delighted words and staff choose their own
names, and a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run by
spreadsheet programs (CSV injection), so such a text gets a leading apostrophe. Numbers are
written as they are in the JSON.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PEOPLE = [
    "username",
    "name",
    "tier",
    "touched",
    "solved",
    "passed_up",
    "passed_same",
    "passed_down",
    "passed_total",
    "taken",
    "bare_passes",
    "pass_rate",
    "tier_median_pass_rate",
    "deadlines_missed",
    "replies",
    "sent_anyway",
    "waiting_hours",
    "goodwill_count",
    "goodwill_value",
    "delighted",
]
OVERALL = [
    "opened",
    "solved",
    "solved_before_deadline_share",
    "median_hours_to_solve",
    "realtime_share",
    "escalated",
    "survey_answers",
    "delighted",
    "goodwill_value",
    "waiting_hours",
]


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as written: never a formula; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def person_row(person: dict[str, Any]) -> list[Any]:
    passed, goodwill = person["passed"], person["goodwill"]
    flat = {
        **person,
        "passed_up": passed["up"],
        "passed_same": passed["same"],
        "passed_down": passed["down"],
        "passed_total": passed["total"],
        "goodwill_count": goodwill["count"],
        "goodwill_value": goodwill["value"],
        "delighted": len(person["delighted"]),
    }
    return [flat[column] for column in PEOPLE]


def blocks(report: dict[str, Any]) -> list[list[list[Any]]]:
    """The report's tables, each a header row and its rows."""
    overall = report["overall"]
    return [
        [PEOPLE, *(person_row(p) for p in report["people"])],
        [["tier", "name", "rank", "solved"]]
        + [[t["slug"], t["name"], t["rank"], t["solved"]] for t in report["tiers"]],
        [["figure", "value"], ["month", report["month"]], ["time_zone", report["time_zone"]]]
        + [[name, overall[name]] for name in OVERALL],
        [["problem_id", "title", "cases"]]
        + [[p["id"], p["title"], p["cases"]] for p in overall["top_problems"]],
        [["username", "ref", "rating", "what_delighted"]]
        + [
            [p["username"], d["ref"], d["rating"], d["what_delighted"]]
            for p in report["people"]
            for d in p["delighted"]
        ],
    ]


def write_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for number, block in enumerate(blocks(report)):
        if number:
            writer.writerow([])
        writer.writerows(_safe(row) for row in block)
    return out.getvalue()


def _safe(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]
