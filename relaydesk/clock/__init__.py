"""The clock: deadlines, escalation and tickles.

`now()` is the one place Relaydesk reads the time, so tests move time with time-machine
instead of sleeping.
"""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
