"""The bell: a person's notifications, marked read once they have seen them."""

from django.contrib.auth.models import User

from relaydesk.cases.models import Notification
from relaydesk.timekeeping import now

PAGE = 50


def latest_for(user: User) -> list[Notification]:
    return list(
        Notification.objects.filter(user=user).select_related("case").order_by("-created_at")[:PAGE]
    )


def mark_read(user: User) -> int:
    """Everything the person has now seen is read (a bell line is not case history)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now())
