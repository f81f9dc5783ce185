"""The Content-Security-Policy in a real browser (issue 18): every key page carries it and loads
with no violation in the console, and its scripts still run (they moved out of the pages)."""

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from relaydesk.cases import actions
from relaydesk.cases.acknowledgement import status_url
from tests import factories
from tests.status_helpers import token_in

pytestmark = pytest.mark.browser

VIOLATION = "Content Security Policy"


@pytest.fixture
def violations(page: Page) -> list[str]:
    """What the browser refused because of the policy, as its console says it."""
    seen: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if VIOLATION in message.text:
            seen.append(f"{page.url}: {message.text}")

    page.on("console", listen)
    return seen


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    page.wait_for_load_state("load")


def test_the_staff_pages_load_with_no_policy_violation(
    page, live_server, cast, sign_in, violations
):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    other = factories.make_case(category=cast.billing, acting=cast.fran)
    actions.solve(other, acting=cast.fran, resolution="Refunded.", one_off_reason="Once")

    visit(page, f"{live_server.url}/login/")
    sign_in("fran")
    for path in ("/", "/queue/", f"/cases/{case.ref}/", "/notifications/"):
        visit(page, live_server.url + path)
    expect(page.locator("body")).to_be_visible()

    visit(page, f"{live_server.url}/cases/{case.ref}/")
    expect(page.get_by_role("textbox").first).to_be_visible()  # the reply and note boxes
    assert page.evaluate("typeof relaydeskSpan") == "function"  # web/relaydesk.js ran
    assert page.evaluate("typeof htmx") == "object"

    sign_in("mia")
    page.get_by_role("link", name="Trail", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.get_by_test_id("trail-pyramid").locator("svg")).to_be_visible()
    month = page.url.rstrip("/").rsplit("/", 1)[-1]
    for path in (f"/trail/{month}/buck/", f"/trail/{month}/delighted/", "/people/mia/career/"):
        visit(page, live_server.url + path)
    visit(page, f"{live_server.url}/api/v1/docs")
    expect(page.locator("#swagger-ui .info")).to_be_visible()

    assert violations == []


def test_the_customers_pages_load_with_no_policy_violation(page, live_server, cast, violations):
    case = factories.make_case(category=cast.billing, acting=cast.fran)

    visit(page, f"{live_server.url}/contact")
    visit(page, f"{live_server.url}/status/{token_in(status_url(case))}")
    expect(page.get_by_test_id("status")).to_contain_text("Fran (Frontline) has your case")
    visit(page, f"{live_server.url}/admin/login/")

    assert violations == []


def test_an_inline_script_slipped_into_a_page_is_refused_and_seen(
    page, live_server, cast, violations
):
    visit(page, f"{live_server.url}/login/")

    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
        }"""
    )

    assert page.evaluate("window.injected === undefined")
    assert len(violations) == 1 and "inline script" in violations[0]
