"""Deadlines in the customer's words: "by today 15:00", "by tomorrow 11:00"."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def promise_words(deadline: datetime, *, time_zone: str, now: datetime) -> str:
    zone = ZoneInfo(time_zone)
    local_deadline = deadline.astimezone(zone)
    today = now.astimezone(zone).date()
    clock_time = local_deadline.strftime("%H:%M")
    if local_deadline.date() == today:
        return f"by today {clock_time}"
    if local_deadline.date() == today + timedelta(days=1):
        return f"by tomorrow {clock_time}"
    if local_deadline.date() < today + timedelta(days=7):
        return f"by {local_deadline:%A} {clock_time}"
    return f"by {local_deadline:%A} {local_deadline.day} {local_deadline:%B}, {clock_time}"
