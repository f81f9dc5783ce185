"""The API's browsable docs (issue 18): for signed-in staff only, and every file they load is
ours (the tester found them public and blank offline: Swagger came from a CDN)."""

import re

from django.contrib.auth.models import User
from django.test import Client

from relaydesk.api.tokens import create_token


def test_anonymous_visitors_are_sent_to_sign_in(db):
    response = Client().get("/api/v1/docs")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/api/v1/docs")


def test_an_api_token_does_not_open_the_docs_page(cast):
    _, secret = create_token(cast.fran, name="tests")

    response = Client().get("/api/v1/docs", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 302


def test_a_signed_in_user_who_is_not_staff_is_refused(db):
    client = Client()
    client.force_login(User.objects.create_user("visitor", password="pw"))

    assert client.get("/api/v1/docs").status_code == 403


def test_staff_get_swagger_with_every_file_from_our_origin(cast):
    client = Client()
    client.force_login(cast.fran)

    response = client.get("/api/v1/docs")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="swagger-ui"' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "an external URL"
    loaded = re.findall(r"""(?:src|href)="([^"]+)\"""", page)
    assert loaded and all(url.startswith("/static/ninja/") for url in loaded)
    for url in loaded:
        assert client.get(url).status_code == 200, url


def test_the_schema_stays_public_for_api_clients(db):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Relaydesk API"
