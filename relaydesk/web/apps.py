from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "relaydesk.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from relaydesk.web import login_limits  # noqa: F401  # connects the lockout's bell line
