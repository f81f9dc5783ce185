"""Telling the admins that outgoing mail is failing (relaydesk.outbox.signals.sending_failed).

A line on the bell of every active admin (superuser), never a mail: the mail server is what
fails, so a mail about it would wait in the same queue. The log says it too (the outbox logs
each failing round at ERROR). While mail keeps failing, an admin gets one line an hour, not
one per round; a round that gives mail up for good always says so.
"""

from datetime import datetime, timedelta

from django.contrib.auth.models import User

from relaydesk.cases.models import Notification
from relaydesk.cases.notify import LINE_LIMIT, shorten
from relaydesk.timekeeping import now

LINE_START = "Outgoing mail"  # every line this module writes, and no other bell line
QUIET_FOR = timedelta(hours=1)


def _words(*, error: str, retrying: int, retry_until: datetime | None, given_up: int) -> str:
    parts = []
    if given_up:
        parts.append(f"Outgoing mail failed for good: {given_up} mail(s) will not be sent.")
    if retrying and retry_until is not None:
        until = retry_until.strftime("%Y-%m-%d %H:%M UTC")
        parts.append(f"{LINE_START} is failing: {retrying} mail(s) will be retried until {until}.")
    parts.append(f"The mail server said: {error} (outbox on the admin site)")
    return " ".join(parts)


def tell_admins(
    sender, *, error: str, retrying: int, retry_until: datetime | None, given_up: int, **_kwargs
) -> int:
    """The signal's receiver: a bell line for each admin not told in the last hour (always
    when mail was given up). Returns how many were told."""
    moment = now()
    text = shorten(
        _words(error=error, retrying=retrying, retry_until=retry_until, given_up=given_up),
        LINE_LIMIT,
    )
    admins = User.objects.filter(is_superuser=True, is_active=True)
    if not given_up:
        told = Notification.objects.filter(
            case=None, text__startswith=LINE_START, created_at__gt=moment - QUIET_FOR
        ).values("user_id")
        admins = admins.exclude(pk__in=told)
    lines = [
        Notification(user=admin, text=text, created_at=moment, mail_pending=False)
        for admin in admins
    ]
    Notification.objects.bulk_create(lines)
    return len(lines)
