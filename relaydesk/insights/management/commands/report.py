"""`relaydesk report [YYYY-MM] [--json | --csv]`: the month-end trail (this month by default)."""

import io
import json
import shutil
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from relaydesk.insights.months import BadMonth, month_of, parse_month
from relaydesk.insights.spreadsheet import write_csv
from relaydesk.insights.terminal import LateProgress, overall_table, people_table
from relaydesk.insights.trail import as_report, compute_trail
from relaydesk.org.company import company_time_zone
from relaydesk.timekeeping import now


class Command(BaseCommand):
    help = (
        "The month-end trail of YYYY-MM in the company's time zone (this month when left out): "
        "a table, or the API's JSON (--json), or CSV (--csv)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("month", nargs="?", metavar="YYYY-MM")
        shape = parser.add_mutually_exclusive_group()
        shape.add_argument("--json", action="store_true", help="The API's JSON.")
        shape.add_argument("--csv", action="store_true", help="CSV, for a spreadsheet.")

    def handle(self, *args, **options) -> None:
        zone = company_time_zone()
        this_month = month_of(now(), zone)
        try:
            month = parse_month(options["month"], zone) if options["month"] else this_month
        except BadMonth as error:
            raise CommandError(str(error)) from None
        if month.start > this_month.start:
            raise CommandError(f"{month.label} has not begun yet, so it has no trail.")
        progress = LateProgress(Console(file=sys.stderr))
        try:
            report = as_report(compute_trail(month, progress=progress))
        finally:
            progress.stop()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        elif options["csv"]:
            self.stdout.write(write_csv(report), ending="")
        else:
            self.stdout.write(self.tables(report), ending="")

    def tables(self, report: dict) -> str:
        terminal = self.stdout.isatty()
        width = shutil.get_terminal_size().columns if terminal else 200
        out = io.StringIO()
        console = Console(file=out, width=width, force_terminal=terminal, highlight=False)
        console.print(people_table(report))
        console.print(overall_table(report))
        return out.getvalue()
