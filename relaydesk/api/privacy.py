"""A customer's access log over the API (rule 15): who saw their whole details, when,
through which case or page, on what ground. Admins (superusers) only."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import AuthorizationError
from pydantic import Field

from relaydesk.api.auth import acting_user
from relaydesk.api.errors import NotFound
from relaydesk.api.schemas import ErrorOut
from relaydesk.cases.models import Customer
from relaydesk.privacy.models import AccessLog

router = Router(tags=["privacy"])


class AccessLogOut(Schema):
    at: datetime
    who: str | None  # username; None: an operator's command (relaydesk privacy export)
    ground: str
    case: str | None
    page: str


class AccessLogQuery(Schema):
    limit: int = Field(100, ge=1, le=1000)


@router.get(
    "/{customer_id}/access-log",
    response={200: list[AccessLogOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Who saw the customer's whole details, newest first (admins)",
)
def access_log(request: HttpRequest, customer_id: int, filters: Query[AccessLogQuery]):
    if not acting_user(request).is_superuser:
        raise AuthorizationError(message="Only admins may read a customer's access log.")
    if not 0 < customer_id < 2**63 or not Customer.objects.filter(pk=customer_id).exists():
        raise NotFound(f"There is no customer {customer_id}.")
    rows = (
        AccessLog.objects.filter(customer_id=customer_id)
        .select_related("who", "case")
        .order_by("-at", "-id")[: filters.limit]
    )
    return [
        {
            "at": row.at,
            "who": row.who.username if row.who else None,
            "ground": row.ground,
            "case": row.case.ref if row.case else None,
            "page": row.page,
        }
        for row in rows
    ]
