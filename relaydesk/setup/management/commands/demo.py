"""`relaydesk demo`: load Northline Rail and sixty days of cases (idempotent)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from relaydesk.setup.database import ensure_migrated
from relaydesk.setup.demo import DEMO_LOGINS, DEMO_PASSWORD, DemoRefused, build_demo


def print_logins(write) -> None:
    write('Log in as any of these (password "demo"), one per tier from the bottom up:')
    for username in DEMO_LOGINS:
        write(f"  {username:<11} / {DEMO_PASSWORD}")


class Command(BaseCommand):
    help = (
        "Load the demo company (examples/demo-company.toml) with sixty days of cases built "
        "through the real actions. Safe to run again: an existing demo is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            help="how many cases (default: RELAYDESK_DEMO_CASES, else 2000)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="the same seed, the same demo")

    def handle(self, *args, cases=None, seed=2026, **options):
        if cases is not None and cases < 0:
            raise CommandError("--cases must be 0 or more.")
        ensure_migrated()
        try:
            result = run_demo(cases=cases, seed=seed, stdout=self.stdout)
        except (DemoRefused, ImproperlyConfigured, ValueError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(result.message))
        print_logins(self.stdout.write)


def run_demo(*, cases=None, seed=2026, stdout=None):
    """Build the demo with a progress bar on the terminal (plain output when not a terminal)."""
    console = Console(file=stdout, highlight=False) if stdout is not None else Console()
    columns = (
        TextColumn("Building the demo"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("cases", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return build_demo(cases=cases, seed=seed, progress=advance)
