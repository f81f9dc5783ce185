"""Company-wide facts other rooms ask for."""

from django.conf import settings
from django.db import connection

from relaydesk import rows
from relaydesk.org.models import Company

# Both engines quote names with double quotes.
TIME_ZONE = f'SELECT "time_zone" FROM "{Company._meta.db_table}" ORDER BY "id" LIMIT 1'  # noqa: S608 (names from the model)


def company_time_zone() -> str:
    """The company's time zone name (the settings' zone before a company exists).

    Read on every request (web.middleware) and for every acknowledgement, so it is one column
    by a fixed statement: the ORM would compile the same query each time for ten times the
    cost of running it. Not cached: a change in the admin shows on the next request.
    """
    found = rows.fetch(connection, TIME_ZONE, [])
    return found[0][0] if found else settings.TIME_ZONE
