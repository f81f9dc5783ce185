"""Company-wide facts other rooms ask for."""

from django.conf import settings

from relaydesk.org.models import Company


def company_time_zone() -> str:
    """The company's time zone name (the settings' zone before a company exists).

    Not cached: a change in the admin shows on the next request.
    """
    found = Company.objects.values_list("time_zone", flat=True).first()
    return found if found is not None else settings.TIME_ZONE
