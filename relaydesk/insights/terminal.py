"""The trail as tables on a terminal (rich), and a progress bar for a slow month."""

import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

SHOW_PROGRESS_AFTER = 1.0  # seconds: a quick trail shows no bar at all


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _hours(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def people_table(report: dict[str, Any]) -> Table:
    table = Table(title=f"The trail of {report['month']} ({report['time_zone']})")
    table.add_column("Person", no_wrap=True)
    table.add_column("Tier", no_wrap=True)
    for header in ("Touched", "Solved", "Passed ↑/=/↓", "Taken"):
        table.add_column(header, justify="right")
    for header in ("Bare", "Pass rate", "Tier median", "Missed", "Replies", "Anyway"):
        table.add_column(header, justify="right")
    for header in ("Waiting h", "Goodwill", "Delighted"):
        table.add_column(header, justify="right")
    for p in report["people"]:
        passed = p["passed"]
        table.add_row(
            f"{p['name']} ({p['username']})",
            p["tier"],
            str(p["touched"]),
            str(p["solved"]),
            f"{passed['up']}/{passed['same']}/{passed['down']}",
            str(p["taken"]),
            str(p["bare_passes"]),
            _rate(p["pass_rate"]),
            _rate(p["tier_median_pass_rate"]),
            str(p["deadlines_missed"]),
            str(p["replies"]),
            str(p["sent_anyway"]),
            _hours(p["waiting_hours"]),
            f"{p['goodwill']['count']} · {p['goodwill']['value']}",
            str(len(p["delighted"])),
        )
    return table


def overall_table(report: dict[str, Any]) -> Table:
    overall = report["overall"]
    table = Table(title="Overall", show_header=False)
    table.add_column("Figure")
    table.add_column("Value", justify="right")
    pyramid = ", ".join(f"{t['name']} {t['solved']}" for t in report["tiers"])
    rows = [
        ("Opened", str(overall["opened"])),
        ("Solved", str(overall["solved"])),
        ("Solved per tier", pyramid),
        ("Solved before the deadline", _rate(overall["solved_before_deadline_share"])),
        ("Median hours to solve", _hours(overall["median_hours_to_solve"])),
        ("Realtime share", _rate(overall["realtime_share"])),
        ("Escalated", str(overall["escalated"])),
        ("Survey answers", str(overall["survey_answers"])),
        ("Delighted", str(overall["delighted"])),
        ("Goodwill given", overall["goodwill_value"]),
        ("Hours waiting for customers", _hours(overall["waiting_hours"])),
    ]
    rows += [(f"Problem: {p['title']}", f"{p['cases']} cases") for p in overall["top_problems"]]
    for row in rows:
        table.add_row(*row)
    return table


class LateProgress:
    """A progress bar on `console` that appears only once the work has taken over a second,
    and only on a terminal (a script reading the output gets no bar)."""

    def __init__(self, console: Console):
        self.console = console
        self.began = time.monotonic()
        self.bar: Progress | None = None
        self.task = TaskID(0)

    def __call__(self, step: str, done: int, steps: int) -> None:
        if self.bar is None:
            if not self.console.is_terminal:
                return
            if time.monotonic() - self.began < SHOW_PROGRESS_AFTER:
                return
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("Counting the trail", total=steps)
        self.bar.update(self.task, completed=done, description=f"Counted {step}")

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
