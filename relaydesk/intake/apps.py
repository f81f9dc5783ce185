from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "relaydesk.intake"
    label = "intake"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A customer erased (relaydesk.cases.erasure) forgets their raw mail here.
        from relaydesk.intake.mail import forget

        forget.connect()
