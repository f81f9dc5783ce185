"""Goodwill in a real browser: the owner gives above their limit, their lead approves it on
the goodwill page, and the case page shows both steps."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from relaydesk.goodwill.models import Gesture, State
from relaydesk.org.models import Company, Tier
from tests import factories

pytestmark = pytest.mark.browser


def test_a_gesture_above_the_limit_waits_until_the_lead_approves_it(
    page, live_server, cast, sign_in, shoot
):
    Tier.objects.filter(slug="frontline").update(goodwill_limit=Decimal(25))
    Tier.objects.filter(slug="manager").update(goodwill_limit=Decimal(500))
    Company.objects.update(goodwill_budget=Decimal(1000))
    case = factories.make_case(category=cast.billing, acting=cast.fran)

    sign_in("fran")
    page.goto(f"{live_server.url}/cases/{case.ref}/")
    page.locator("summary").filter(has_text=re.compile("^Give goodwill$")).click()
    expect(page.get_by_test_id("goodwill-left")).to_contain_text("1000.00 EUR")
    goodwill = page.get_by_role("region", name="Goodwill")
    goodwill.get_by_label("Kind").select_option("refund")
    goodwill.get_by_label("Value").fill("80")
    goodwill.get_by_label("Note").fill("The seat we could not give her.")
    page.get_by_role("button", name="Give", exact=True).click()
    expect(page.get_by_text("Above your limit: the gesture waits for approval.")).to_be_visible()
    expect(page.get_by_test_id("gesture")).to_contain_text("Waiting for approval")
    shoot("goodwill-asked")

    sign_in("mia")
    page.get_by_role("link", name="Goodwill", exact=True).click()
    waiting = page.get_by_test_id("goodwill-waiting")
    expect(waiting).to_contain_text("The seat we could not give her.")
    waiting.get_by_role("button", name="Approve").click()
    expect(page.get_by_text(f"Goodwill on {case.ref} approved.")).to_be_visible()
    expect(page.get_by_test_id("goodwill-given")).to_contain_text("80.00 EUR")
    shoot("goodwill-page")

    assert Gesture.objects.get().state == State.GIVEN
    page.goto(f"{live_server.url}/cases/{case.ref}/")
    expect(page.get_by_test_id("timeline")).to_contain_text("Mia Manager approved goodwill")
