"""The hostile tester's non-JSON API errors (issue 18), replayed: a body over the limit, a
method a path does not take and an unknown /api/v1/ path each answer JSON {"detail": …}."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path

from relaydesk.api.tokens import create_token
from relaydesk.urls import urlpatterns as product_urls


@pytest.fixture
def token(cast) -> dict:
    _, secret = create_token(cast.fran, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_body_over_the_limit_is_a_json_413(token):
    text = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = Client().post(
        "/api/v1/tone-check", json.dumps({"text": text}), content_type="application/json", **token
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "larger than the limit" in response.json()["detail"]


def test_a_method_the_path_does_not_take_is_a_json_405(token):
    response = Client().delete("/api/v1/cases", **token)

    assert response.status_code == 405
    assert response.json() == {"detail": "This path does not take DELETE; it takes GET, POST."}
    assert response["Allow"] == "GET, POST"


def test_an_unknown_api_path_is_a_json_404(token):
    for unknown in ("/api/v1/nothing-here", "/api/v1/cases/RD-1/unknown/deeper", "/api/v2/cases"):
        response = Client().get(unknown, **token)

        assert response.status_code == 404, unknown
        assert "No such API path" in response.json()["detail"]


def test_an_unknown_api_path_without_a_token_is_json_too(db):
    response = Client().post("/api/v1/nothing-here", "{}", content_type="application/json")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def broken(request):
    raise RuntimeError("the disk is on fire")


urlpatterns = [path("api/v1/broken", broken), *product_urls]


@pytest.mark.urls("tests.api.test_errors_json")
def test_a_crash_in_the_api_is_a_json_500_without_the_traceback(db):
    response = Client(raise_request_exception=False).get("/api/v1/broken")

    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side; it has been logged."}


def test_pages_outside_the_api_keep_their_html_error_pages(db):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
