"""`relaydesk manage rebuild_spells`: every ownership spell built again from the events."""

from django.core.management.base import BaseCommand
from django.db import transaction

from relaydesk.cases import spells
from relaydesk.org.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Delete the ownership spells and build them again from the cases' events (the history "
        "is the truth), in one transaction: the trail reads the old ones until it commits."
    )

    def handle(self, *args, **options) -> None:
        with progress_bar("Cases") as told, transaction.atomic():
            written = spells.rebuild(progress=told)
        self.stdout.write(f"{written:,} spells built from the events.")
