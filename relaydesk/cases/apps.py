from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "relaydesk.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from relaydesk.cases.mail_trouble import tell_admins
        from relaydesk.outbox.signals import sending_failed

        sending_failed.connect(tell_admins, dispatch_uid="relaydesk.cases.mail_trouble")
