from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def search_triggers_kept(sender, using="default", **kwargs) -> None:
    """SQLite drops a table's triggers when a migration remakes it: put the index's back."""
    from relaydesk.problems.search import ensure_installed

    ensure_installed(connections[using])


class ProblemsConfig(AppConfig):
    name = "relaydesk.problems"
    label = "problems"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(search_triggers_kept, sender=self)
