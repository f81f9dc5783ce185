"""Company-wide facts other rooms ask for."""

from django.conf import settings
from django.db import connection

from relaydesk import rows
from relaydesk.org.models import Company


def company_time_zone() -> str:
    """The company's time zone name (the settings' zone before a company exists).

    Read on every request (web.middleware) and for every acknowledgement, so it is one column
    by a fixed statement: the ORM would compile the same query each time for ten times the
    cost of running it. Not cached: a change in the admin shows on the next request.
    """
    quote = connection.ops.quote_name
    found = rows.fetch(
        connection,
        f"SELECT {quote('time_zone')} FROM {quote(Company._meta.db_table)} "  # noqa: S608
        f"ORDER BY {quote('id')} LIMIT 1",
        [],
    )
    return found[0][0] if found else settings.TIME_ZONE
