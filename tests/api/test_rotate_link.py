"""POST /api/v1/cases/{ref}/rotate-link: a new status link, shown once; the old ones stop."""

from django.test import Client

from relaydesk.cases import actions
from relaydesk.cases.models import EventKind, StatusLink
from relaydesk.outbox.models import OutgoingMail
from tests import factories
from tests.status_helpers import is_link_of, token_in


def test_staff_rotate_a_cases_link_over_http(cast, api_as, settings):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    old = token_in(OutgoingMail.objects.get(case=case).body)

    rotated = api_as(cast.sam).post(f"/cases/{case.ref}/rotate-link")

    assert rotated.status_code == 200, rotated.json()
    url = rotated.json()["status_url"]
    assert url.startswith(f"{settings.BASE_URL}/status/")
    assert is_link_of(case, token_in(url)) and not is_link_of(case, old)
    assert StatusLink.objects.filter(case=case, revoked_at__isnull=True).count() == 1
    event = case.events.get(kind=EventKind.LINK_ROTATED)
    assert token_in(url) not in str(event.data) + event.body
    assert Client().get(url.removeprefix(settings.BASE_URL)).status_code == 302


def test_rotating_an_unknown_or_closed_case_is_refused_with_a_reason(cast, api_as):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    actions.solve(case, acting=cast.fran, resolution="Done", one_off_reason="Once")
    actions.close(case, acting=None)
    api = api_as(cast.fran)

    unknown = api.post("/cases/RD-999999/rotate-link")
    closed = api.post(f"/cases/{case.ref}/rotate-link")

    assert unknown.status_code == 404 and unknown.json()["detail"]
    assert closed.status_code == 409 and "closed" in closed.json()["detail"]
