from django.apps import AppConfig


class SetupConfig(AppConfig):
    """How a company starts: the company file (`relaydesk init`) and the demo (`relaydesk demo`).

    A face, like the web pages: both drive the actions and never write case rows themselves.
    """

    name = "relaydesk.setup"
    label = "setup"
