"""A request announcing a body over the servers' limit is refused before it is read
(relaydesk.wsgi): with the API's JSON error on /api/, with a line of text elsewhere."""

import json

from relaydesk.wsgi import refusing_large_bodies

LIMIT = 100


def never_called(environ, start_response):
    raise AssertionError("the app must not see a refused request")


def call(path: str, length: int) -> tuple[str, dict[str, str], bytes]:
    started: dict[str, object] = {}

    def start_response(status, headers):
        started["status"], started["headers"] = status, dict(headers)

    app = refusing_large_bodies(never_called, LIMIT)
    body = b"".join(app({"PATH_INFO": path, "CONTENT_LENGTH": str(length)}, start_response))
    return str(started["status"]), started["headers"], body  # type: ignore[return-value]


def test_the_api_refuses_an_oversized_body_in_json_with_the_limit():
    status, headers, body = call("/api/v1/cases", LIMIT + 1)

    assert status.startswith("413")
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"detail": "The request body is larger than the limit of 100 bytes."}
    assert headers["Content-Length"] == str(len(body))


def test_a_page_refuses_an_oversized_body_in_plain_words():
    status, headers, body = call("/contact", LIMIT + 1)

    assert status.startswith("413")
    assert headers["Content-Type"].startswith("text/plain")
    assert body == b"The request body is larger than the limit of 100 bytes.\n"


def test_a_body_within_the_limit_reaches_the_app():
    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"read"]

    answered = refusing_large_bodies(app, LIMIT)(
        {"PATH_INFO": "/api/v1/cases", "CONTENT_LENGTH": str(LIMIT)}, lambda *a: None
    )

    assert answered == [b"read"]
