"""The case page's "New status link": the new link shown once, the old ones stop working."""

from django.test import Client

from relaydesk.cases.models import EventKind
from relaydesk.outbox.models import OutgoingMail
from tests import factories
from tests.status_helpers import is_link_of, token_in
from tests.web.conftest import HTMX


def test_staff_get_a_new_status_link_to_give_by_phone(cast, signed_in, settings):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    old = token_in(OutgoingMail.objects.get(case=case).body)
    client = signed_in(cast.fran)
    assert "New status link" in client.get(f"/cases/{case.ref}/").content.decode()

    page = client.post(f"/cases/{case.ref}/rotate-link/")

    assert page.status_code == 200
    html = page.content.decode()
    new = token_in(html.split('data-testid="new-status-url"')[1])
    assert f"{settings.BASE_URL}/status/{new}" in html
    assert is_link_of(case, new) and not is_link_of(case, old)
    assert case.events.filter(kind=EventKind.LINK_ROTATED).count() == 1
    assert new not in client.get(f"/cases/{case.ref}/").content.decode()  # shown once
    assert Client().get(f"/status/{old}").status_code == 404


def test_the_htmx_answer_is_the_case_body_with_the_new_link(cast, signed_in):
    case = factories.make_case(category=cast.billing, acting=cast.fran)

    answer = signed_in(cast.sam).post(f"/cases/{case.ref}/rotate-link/", headers=HTMX)

    assert answer.status_code == 200
    assert "<html" not in answer.content.decode()
    assert 'data-testid="new-status-url"' in answer.content.decode()


def test_only_staff_rotate_links(cast, client):
    case = factories.make_case(category=cast.billing, acting=cast.fran)

    refused = client.post(f"/cases/{case.ref}/rotate-link/")

    assert refused.status_code in (302, 403)
    assert not case.events.filter(kind=EventKind.LINK_ROTATED).exists()
