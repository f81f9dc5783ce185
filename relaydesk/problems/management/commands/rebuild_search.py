"""`relaydesk manage rebuild_search`: the case index refilled from every case and its events."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from relaydesk.org.progress import progress_bar
from relaydesk.problems import search


class Command(BaseCommand):
    help = (
        "Empty the search index and fill it again from the cases, their customers' words, "
        "replies and resolutions, in one transaction: searches read the old index until it "
        "commits. The database keeps the index in step by itself; this is for repairs."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        with progress_bar("Cases") as told, transaction.atomic():
            indexed = search.rebuild(progress=told)
        spent = time.perf_counter() - started
        self.stdout.write(f"{indexed:,} case ids indexed in {spent:.1f} s.")
