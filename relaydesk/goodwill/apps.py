from django.apps import AppConfig


class GoodwillConfig(AppConfig):
    name = "relaydesk.goodwill"
    label = "goodwill"
    default_auto_field = "django.db.models.BigAutoField"
