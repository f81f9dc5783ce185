"""`relaydesk manage rebuild_search`: the case index refilled from every case and its events."""

import sys
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from relaydesk.problems import search


class Command(BaseCommand):
    help = (
        "Empty the search index and fill it again from the cases, their customers' words, "
        "replies and resolutions, in one transaction: searches read the old index until it "
        "commits. The database keeps the index in step by itself; this is for repairs."
    )

    def handle(self, *args, **options) -> None:
        console = Console(file=sys.stderr)
        started = time.perf_counter()
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
                indexed = search.rebuild(progress=told)
        spent = time.perf_counter() - started
        self.stdout.write(f"{indexed:,} case ids indexed in {spent:.1f} s.")
