"""Company-wide facts other rooms ask for."""

from django.conf import settings

from relaydesk.org.models import Company


def company_time_zone() -> str:
    company = Company.current()
    return company.time_zone if company else settings.TIME_ZONE
