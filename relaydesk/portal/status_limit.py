"""How often a case's customer may post on its status page (RELAYDESK_STATUS_PAGE_POSTS_PER_HOUR).

Every message posted there notifies the owner at once, so a script or a stuck key could bury
them. Like /contact (which counts ContactAttempt rows), the count comes from rows already
written: the case's own events of the last hour, its customer's messages posted on the page and
their survey answers. A reopen is not counted (each needs a solve between), but while the limit
is reached its form waits too. The limit is per case: whoever holds its link shares it.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from relaydesk.cases.models import Case, EventKind
from relaydesk.timekeeping import now

WINDOW = timedelta(hours=1)
POSTED_HERE = Q(kind=EventKind.CUSTOMER_WROTE, data__via="status_page") | Q(kind=EventKind.SURVEY)


def next_post_at(case: Case) -> datetime | None:
    """When the case's customer may post on its status page again; None: now."""
    limit = max(settings.STATUS_PAGE_POSTS_PER_HOUR, 1)
    recent = (
        case.events.filter(POSTED_HERE, at__gt=now() - WINDOW)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    times = list(recent)
    if len(times) < limit:
        return None
    return times[-1] + WINDOW
