"""Company-wide facts other rooms ask for."""

from datetime import timedelta

from django.conf import settings

from relaydesk.org.models import (
    DEFAULT_REOPEN_WITHIN_MINUTES,
    DEFAULT_WAITING_GIVES_UP_MINUTES,
    Company,
)


def company_time_zone() -> str:
    """The company's time zone name (the settings' zone before a company exists).

    Not cached: a change in the admin shows on the next request.
    """
    found = Company.objects.values_list("time_zone", flat=True).first()
    return found if found is not None else settings.TIME_ZONE


def company_name() -> str:
    """The company's name as its customers know it ("" before a company exists)."""
    return Company.objects.values_list("name", flat=True).first() or ""


def company_place() -> tuple[str, str]:
    """The company's time zone name and locale ("en-GB"; "" when not given) in one query, for
    every staff page (the settings' zone before a company exists). Not cached, like the zone."""
    found = Company.objects.values_list("time_zone", "locale").first()
    return found if found is not None else (settings.TIME_ZONE, "")


def reopen_within() -> timedelta:
    """Rule 8: how long after its last solve the customer's word still reopens a case; a solved
    case closes by itself once it has passed (30 days before a company exists)."""
    found = Company.objects.values_list("reopen_within_minutes", flat=True).first()
    return timedelta(minutes=found if found is not None else DEFAULT_REOPEN_WITHIN_MINUTES)


def waiting_gives_up() -> timedelta:
    """Rule 16: how long a case waits for the customer's answer before its owner is reminded
    to decide (7 days before a company exists)."""
    found = Company.objects.values_list("waiting_gives_up_minutes", flat=True).first()
    return timedelta(minutes=found if found is not None else DEFAULT_WAITING_GIVES_UP_MINUTES)


def duration_words(span: timedelta) -> str:
    """`span` as a person says it: "30 days", "36 hours", "90 minutes"."""
    minutes = int(span.total_seconds() // 60)
    for size, unit in ((24 * 60, "day"), (60, "hour"), (1, "minute")):
        if minutes % size == 0:
            count = minutes // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{minutes} minutes"
