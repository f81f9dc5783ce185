"""`relaydesk manage rebuild_spells`: every ownership spell built again from the events."""

import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from relaydesk.cases import spells


class Command(BaseCommand):
    help = (
        "Delete the ownership spells and build them again from the cases' events (the history "
        "is the truth), in one transaction: the trail reads the old ones until it commits."
    )

    def handle(self, *args, **options) -> None:
        console = Console(file=sys.stderr)
        with Progress(
            *Progress.get_default_columns()[:1],
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as bar:
            task = bar.add_task("Cases", total=None)

            def told(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            with transaction.atomic():
                written = spells.rebuild(progress=told)
        self.stdout.write(f"{written:,} spells built from the events.")
