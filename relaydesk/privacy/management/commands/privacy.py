"""`relaydesk privacy export EMAIL` and `relaydesk privacy erase EMAIL` (rule 15)."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from relaydesk.cases.actions import erase_customer
from relaydesk.cases.errors import DomainError
from relaydesk.privacy.export import customers_with, export
from relaydesk.privacy.grounds import Ground
from relaydesk.privacy.log import record

DEFAULT_WHY = "The customer asked to be forgotten."


class Command(BaseCommand):
    help = (
        "export EMAIL: everything kept about the customer with that address, as JSON. "
        "erase EMAIL: anonymise them (cases, events and the trail's figures stay)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="what", required=True)
        out = commands.add_parser("export", help="Everything about a customer, as JSON.")
        out.add_argument("email")
        gone = commands.add_parser("erase", help="Anonymise a customer everywhere.")
        gone.add_argument("email")
        gone.add_argument("--why", default=DEFAULT_WHY, help="Recorded on each of their cases.")
        gone.add_argument("--dry-run", action="store_true", help="Say what would be erased.")

    def handle(self, *args, **options) -> None:
        customers = customers_with(options["email"])
        if not customers:
            raise CommandError(f"No customer has the address {options['email']!r}.")
        if options["what"] == "export":
            self._export(customers)
        else:
            self._erase(customers, why=options["why"], dry_run=options["dry_run"])

    def _export(self, customers) -> None:
        shapes = []
        for customer in customers:
            shapes.append(export(customer))
            record(
                who=None, customer=customer, ground=Ground.ADMIN, page="relaydesk privacy export"
            )
        whole = shapes[0] if len(shapes) == 1 else {"customers": shapes}
        self.stdout.write(json.dumps(whole, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))

    def _erase(self, customers, *, why: str, dry_run: bool) -> None:
        for customer in customers:
            cases = customer.cases.count()
            if dry_run:
                self.stdout.write(
                    f"Would erase customer {customer.pk} and the words of {cases} cases."
                )
                continue
            try:
                erased = erase_customer(customer, acting=None, why=why)
            except DomainError as error:
                raise CommandError(error.message) from None
            self.stdout.write(
                f"Erased customer {erased.customer_id}: {erased.cases} cases, "
                f"{erased.events} events' words, {erased.files} files."
            )
