"""Commands a newcomer runs first (`init`, `demo`) bring the database up to date themselves."""

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def ensure_migrated() -> bool:
    """Apply any migrations not yet applied; True if there were some."""
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True
