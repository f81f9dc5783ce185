from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "relaydesk.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from relaydesk.cases.mail_trouble import tell_admins
        from relaydesk.outbox.signals import sending_failed

        sending_failed.connect(tell_admins, dispatch_uid="relaydesk.cases.mail_trouble")
        from django.db.models.signals import post_save, pre_save

        from relaydesk.cases import day_counts
        from relaydesk.org.models import Company

        # A new company time zone moves the daily counts' local days: they are rebuilt.
        pre_save.connect(day_counts.zone_saving, sender=Company, dispatch_uid="day_counts.zone")
        post_save.connect(day_counts.zone_saved, sender=Company, dispatch_uid="day_counts.zone")
