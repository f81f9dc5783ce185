"""`relaydesk init FILE`: create or update the company from its TOML file."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from relaydesk.cases.errors import DomainError
from relaydesk.setup.company_apply import apply_spec
from relaydesk.setup.company_file import CompanyFileError, read_company_file
from relaydesk.setup.database import ensure_migrated


class Command(BaseCommand):
    help = (
        "Create or update the company (tiers, staff, categories, executive rota) from a TOML "
        "company file. Safe to run again: it changes only what differs from the file."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the company file, e.g. examples/demo-company.toml")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="only check the file and report its problems; change nothing",
        )

    def handle(self, *args: Any, file: str, dry_run: bool = False, **options: Any) -> None:
        ensure_migrated()  # the file is checked against what the database already holds
        try:
            spec = read_company_file(file)
        except CompanyFileError as error:
            raise CommandError(str(error)) from None
        if dry_run:
            self.stdout.write(f"{file} is fine: nothing was changed (--dry-run).")
            return
        try:
            summary = apply_spec(spec)
        except DomainError as refused:  # someone the file lets go holds a case nobody can take
            raise CommandError(f"{refused.message} Nothing was changed.") from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
