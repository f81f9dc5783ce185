"""Every page shows times in the company's time zone."""

import threading
import zoneinfo

from django.utils import timezone

from relaydesk.org.company import company_time_zone

NOT_PAGES = ("/api/",)  # the API answers in ISO 8601 with offsets: no zone to look up

# The zone of the request this thread is serving, for the time filters: a plain thread-local
# is read far faster than Django's current time zone, and lists format hundreds of times.
serving = threading.local()


def company_zone() -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(company_time_zone())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None  # a bad zone in the admin falls back to settings.TIME_ZONE


def company_time_zone_middleware(get_response):
    def middleware(request):
        zone = None if request.path.startswith(NOT_PAGES) else company_zone()
        if zone is None:
            return get_response(request)
        serving.zone = zone
        try:
            with timezone.override(zone):
                return get_response(request)
        finally:
            serving.zone = None

    return middleware


def display_zone():
    """The zone times are shown in now: the request's company zone, else Django's current one."""
    return getattr(serving, "zone", None) or timezone.get_current_timezone()
