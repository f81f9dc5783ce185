"""Deadlines and tickle times, computed from a case's category and lane."""

from datetime import datetime, timedelta

REALTIME_WINDOW = timedelta(hours=1)


def deadline_for(category, opened_at: datetime, *, realtime: bool) -> datetime:
    """When the case goes to the executive on duty if it is still not solved."""
    if realtime:
        return opened_at + REALTIME_WINDOW
    return opened_at + timedelta(minutes=category.solve_window_minutes)


def next_tickle_after(category, last_owner_activity: datetime) -> datetime:
    """When an owner who has not acted since `last_owner_activity` gets a reminder."""
    return last_owner_activity + timedelta(minutes=category.tickle_after_minutes)
