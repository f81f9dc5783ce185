"""Content-Security-Policy (issue 18): on every kind of response, scripts only from our origin,
and no template holds what that policy would refuse (tests/e2e/test_csp.py loads the pages)."""

import re
from pathlib import Path

import pytest
from django.test import Client

import relaydesk

TEMPLATES = sorted(Path(relaydesk.__path__[0]).glob("*/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"""\s(on[a-z]+|hx-on[:\w-]*)\s*=""", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize(
    "path", ["/login/", "/contact", "/status/no-such-link", "/admin/login/", "/api/v1/categories"]
)
def test_every_kind_of_response_carries_the_policy(cast, path):
    policy = directives(Client().get(path))

    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_a_staff_page_carries_the_policy(cast, signed_in):
    response = signed_in(cast.fran).get("/")

    assert response.status_code == 200
    assert directives(response)["script-src"] == ["'self'"]


def test_the_templates_hold_no_inline_script_or_event_handler():
    assert TEMPLATES, "no templates found"
    found = []
    for template in TEMPLATES:
        text = template.read_text()
        found += [f"{template.name}: {m.group(0)}" for m in INLINE_SCRIPT.finditer(text)]
        found += [f"{template.name}: {m.group(0)}" for m in HANDLER.finditer(text)]
        found += [f"{template.name}: javascript: URL" for _ in re.finditer("javascript:", text)]

    assert found == []


def test_htmx_is_told_not_to_evaluate_code(cast, signed_in):
    page = signed_in(cast.fran).get("/").content.decode()

    assert '"allowEval": false' in page
