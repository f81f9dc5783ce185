from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "relaydesk.clock"
    label = "clock"
    default_auto_field = "django.db.models.BigAutoField"
