from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CasesConfig(AppConfig):
    name = "relaydesk.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every case is written through SQLite's WAL (or PostgreSQL): its checkpoints run in
        # a background thread rather than inside a writer's commit.
        from relaydesk.checkpointer import on_connection_created

        connection_created.connect(on_connection_created, dispatch_uid="relaydesk.checkpointer")
