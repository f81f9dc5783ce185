from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "relaydesk.replies"
    label = "replies"
    default_auto_field = "django.db.models.BigAutoField"
