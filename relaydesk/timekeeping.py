"""The one clock.

`now()` is the one place Relaydesk reads the time, so tests move time with time-machine
instead of sleeping, and the demo builder can write sixty days of history through the real
actions by pinning the time for its own thread.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

# A context variable, not a thread-local: each thread starts without one.
_pinned: ContextVar[datetime | None] = ContextVar("relaydesk_pinned_now", default=None)


def now() -> datetime:
    moment = _pinned.get()
    return moment if moment is not None else timezone.now()


@contextmanager
def pinned(moment: datetime) -> Iterator[None]:
    """Within this block, in this thread only, `now()` is `moment` (used by the demo builder)."""
    if timezone.is_naive(moment):
        raise ValueError("pinned() needs an aware datetime")
    token = _pinned.set(moment)
    try:
        yield
    finally:
        _pinned.reset(token)
