"""`relaydesk manage rebuild_day_counts`: the trail's daily roll-ups built again from events."""

import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from relaydesk.cases import day_counts
from relaydesk.org.company import company_time_zone


class Command(BaseCommand):
    help = (
        "Delete the daily counts the trail reads and build them again from the cases' events, "
        "in one transaction, by local days of the company's time zone (saving the company "
        "with another zone does this too; a bulk update of the company does not)."
    )

    def handle(self, *args, **options) -> None:
        console = Console(file=sys.stderr)
        zone = company_time_zone()
        with Progress(
            *Progress.get_default_columns()[:1],
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as bar:
            task = bar.add_task("Months", total=None)

            def told(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            with transaction.atomic():
                written = day_counts.rebuild(time_zone=zone, progress=told)
        self.stdout.write(
            f"{written:,} daily counts built from the events, by days in {zone}. "
            "The days depend on the time zone: run this after any change made around the "
            "company's save (a bulk update); a save of the company rebuilds them itself."
        )
