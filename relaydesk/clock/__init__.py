"""The clock: deadlines, escalation and tickles.

`now()` is the one place Relaydesk reads the time, so tests move time with time-machine
instead of sleeping, and the demo builder can write sixty days of history through the real
actions by pinning the time for its own thread.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

_pinned = threading.local()


def now() -> datetime:
    moment = getattr(_pinned, "moment", None)
    return moment if moment is not None else timezone.now()


@contextmanager
def pinned(moment: datetime) -> Iterator[None]:
    """Within this block, in this thread only, `now()` is `moment` (used by the demo builder)."""
    if timezone.is_naive(moment):
        raise ValueError("pinned() needs an aware datetime")
    previous = getattr(_pinned, "moment", None)
    _pinned.moment = moment
    try:
        yield
    finally:
        _pinned.moment = previous
