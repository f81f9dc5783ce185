"""Every page shows times in the company's time zone and dates as its locale writes them."""

import threading
import zoneinfo

from django.utils import timezone

from relaydesk.org.company import company_place
from relaydesk.org.dates import format_language

NOT_PAGES = ("/api/",)  # the API answers in ISO 8601 with offsets: no zone to look up

# The zone and the date formats' language of the request this thread is serving, for the time
# filters: a plain thread-local is read far faster than Django's current time zone, and lists
# format hundreds of times.
serving = threading.local()


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None  # a bad zone in the admin falls back to settings.TIME_ZONE


def company_time_zone_middleware(get_response):
    """The company's zone activated and its locale's date formats chosen (one query) for the
    request; the language stays English (relaydesk.org.dates says why)."""

    def middleware(request):
        if request.path.startswith(NOT_PAGES):
            return get_response(request)
        zone_name, locale = company_place()
        zone = _zone(zone_name)
        serving.language = format_language(locale)
        try:
            if zone is None:
                return get_response(request)
            serving.zone = zone
            with timezone.override(zone):
                return get_response(request)
        finally:
            serving.zone = None
            serving.language = None

    return middleware


def display_zone():
    """The zone times are shown in now: the request's company zone, else Django's current one."""
    return getattr(serving, "zone", None) or timezone.get_current_timezone()


def display_language() -> str:
    """The language whose date formats pages use now: the request's company locale's, else
    the one a company without a locale gets (en-GB)."""
    return getattr(serving, "language", None) or format_language("")
