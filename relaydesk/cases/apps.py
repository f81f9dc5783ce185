from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CasesConfig(AppConfig):
    name = "relaydesk.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # On SQLite the WAL's checkpoints run in a background thread of each process rather
        # than inside a writer's commit (relaydesk/checkpointer.py).
        from relaydesk.checkpointer import on_connection_created

        connection_created.connect(on_connection_created, dispatch_uid="relaydesk.checkpointer")
