"""The access log (rule 15): one row for every whole view of a customer's contact details."""

from django.conf import settings
from django.db import models

from relaydesk.privacy.grounds import Ground


class AccessLog(models.Model):
    """Who saw whose whole details, when, through which case or page, and on what ground.

    Written by relaydesk.privacy.log.record only (one INSERT in the request that showed them);
    never changed. The page is the path that showed them (`/cases/RD-1042/`,
    `/api/v1/cases/RD-1042`) or the command (`relaydesk privacy export`).
    """

    who = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,  # a command run by an operator, not a person of the app
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # served by access_who_time_idx
    )
    at = models.DateTimeField()
    customer = models.ForeignKey(
        "cases.Customer",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # served by access_customer_time_idx
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # never looked up by case alone
    )
    page = models.CharField(max_length=300)
    ground = models.CharField(max_length=10, choices=Ground.choices)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # A customer's log, newest first: the admin inline and the API's access-log route.
            models.Index(fields=["customer", "at"], name="access_customer_time_idx"),
            # What one person looked at (an admin's question after a leak).
            models.Index(fields=["who", "at"], name="access_who_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ground} view of customer {self.customer_id} at {self.at:%Y-%m-%d %H:%M}"
