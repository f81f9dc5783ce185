"""Every page shows times in the company's time zone."""

import zoneinfo

from django.utils import timezone

from relaydesk.org.company import company_time_zone

NOT_PAGES = ("/api/",)  # the API answers in ISO 8601 with offsets: no zone to look up


def company_time_zone_middleware(get_response):
    def middleware(request):
        if request.path.startswith(NOT_PAGES):
            return get_response(request)
        try:
            zone = zoneinfo.ZoneInfo(company_time_zone())
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None  # a bad zone in the admin falls back to settings.TIME_ZONE
        if zone is None:
            return get_response(request)
        with timezone.override(zone):
            return get_response(request)

    return middleware
