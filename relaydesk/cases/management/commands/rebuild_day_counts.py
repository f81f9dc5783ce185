"""`relaydesk manage rebuild_day_counts`: the trail's daily roll-ups built again from events."""

from django.core.management.base import BaseCommand
from django.db import transaction

from relaydesk.cases import day_counts
from relaydesk.org.company import company_time_zone
from relaydesk.org.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Delete the daily counts the trail reads and build them again from the cases' events, "
        "in one transaction, by local days of the company's time zone (saving the company "
        "with another zone does this too; a bulk update of the company does not)."
    )

    def handle(self, *args, **options) -> None:
        zone = company_time_zone()
        with progress_bar("Months") as told, transaction.atomic():
            written = day_counts.rebuild(time_zone=zone, progress=told)
        self.stdout.write(
            f"{written:,} daily counts built from the events, by days in {zone}. "
            "The days depend on the time zone: run this after any change made around the "
            "company's save (a bulk update); a save of the company rebuilds them itself."
        )
