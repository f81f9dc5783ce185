"""Every staff page and every API route, walked as each role (rule 15): a customer's whole
email and phone appear only on their case's page and API detail, to the entitled, and each
such view has its access-log row; everything else shows the masks or nothing."""

import re

import pytest
from django.urls import URLPattern, URLResolver

from relaydesk.api.api import api
from relaydesk.api.tokens import create_token
from relaydesk.cases import actions
from relaydesk.privacy.models import AccessLog
from relaydesk.timekeeping import now
from relaydesk.web import urls as web_urls
from tests import factories
from tests.api.conftest import Api
from tests.privacy.conftest import EMAIL, PHONE, ROLES


def _web_paths(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _web_paths(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


@pytest.fixture
def busy(cast, scene):
    """Carla's case (fran owns it) in every list, with a quarantined mail of hers attached
    (fran's bell names her address), plus a second case of hers that fran passed
    to sam (the bell), and a third solved with a delighted survey (the trail's pages)."""
    second = factories.make_case(category=cast.billing, acting=cast.fran, customer=scene.customer)
    actions.pass_case(
        second,
        acting=cast.fran,
        reason="needs_expertise",
        note=f"Carla is at {PHONE}",
        to_user=cast.sam,
    )
    actions.attach_mail(  # the owner's bell: "Sam attached a message from <her address>"
        scene.case,
        acting=cast.sam,
        body="From the quarantine.",
        subject="Re",
        sender=EMAIL,
        attachments=[],
    )
    third = factories.make_case(category=cast.billing, acting=cast.fran, customer=scene.customer)
    actions.solve(third, acting=cast.fran, resolution="Refunded.", one_off_reason="A one-off.")
    actions.answer_survey(third, rating=5, delighted="Fran was quick.")
    return {
        "ref": scene.case.ref,
        "username": "fran",
        "month": f"{now():%Y-%m}",
        "customer_id": str(scene.customer.pk),
        "problem_id": "1",
    }


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", lambda m: values.get(m[1] or m[2], "1"), path)


@pytest.mark.parametrize(("name", "ground"), ROLES)
def test_every_staff_page_as_each_role(client, role, scene, busy, name, ground):
    client.force_login(role(name))
    seen = {}
    for pattern in _web_paths(web_urls.urlpatterns):
        path = "/" + _fill(pattern, busy)
        answer = client.get(path)
        assert answer.status_code < 500, path
        body = answer.content.decode(errors="replace") if not answer.streaming else ""
        seen[path] = (EMAIL in body, PHONE in body)
    case_page = f"/cases/{scene.case.ref}/"
    whole = {path for path, shown in seen.items() if any(shown)}
    assert whole == ({case_page} if ground else set())
    logged = set(AccessLog.objects.values_list("page", flat=True))
    assert logged == ({case_page} if ground else set())


@pytest.mark.parametrize(("name", "ground"), ROLES)
def test_every_api_route_as_each_role(role, scene, busy, name, ground):
    _, secret = create_token(role(name), name="tests")
    client = Api(secret)
    paths = [p for p, ops in api.get_openapi_schema()["paths"].items() if "get" in ops]
    assert "/api/v1/customers/{customer_id}/access-log" in paths
    whole = set()
    for path in paths:
        filled = _fill(path, busy).removeprefix("/api/v1")
        answer = client.get(filled)
        assert answer.status_code < 500, filled
        body = answer.content.decode()
        if EMAIL in body or PHONE in body:
            whole.add(filled)
    detail = f"/cases/{scene.case.ref}"
    assert whole == ({detail} if ground else set())
    logged = list(AccessLog.objects.values_list("page", "ground"))
    assert logged == ([(f"/api/v1{detail}", ground)] if ground else [])
