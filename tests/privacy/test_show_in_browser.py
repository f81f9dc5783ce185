"""The "show" on a masked contact detail, in Chromium (rule 15): a lead picks a customer at
intake, sees the masks, presses show, and the whole address appears and is logged."""

import re

import pytest
from playwright.sync_api import expect

from relaydesk.privacy.models import AccessLog
from tests.privacy.conftest import EMAIL, MASKED_EMAIL, MASKED_PHONE, PHONE

pytestmark = pytest.mark.browser


def test_a_lead_reveals_a_masked_address_and_the_look_is_logged(page, cast, scene, sign_in):
    sign_in("mia")
    page.get_by_role("link", name="Intake", exact=True).click()
    page.get_by_label("Find the customer").press_sequentially("Carl", delay=30)
    page.get_by_role("button", name=re.compile("Carla Mendes")).click()
    chosen = page.get_by_test_id("chosen-customer")
    expect(chosen).to_contain_text(MASKED_EMAIL)
    expect(chosen).to_contain_text(MASKED_PHONE)
    assert not AccessLog.objects.exists()
    page.get_by_test_id("show-email").click()
    expect(page.get_by_test_id("whole-email")).to_have_text(EMAIL)
    expect(chosen).to_contain_text(MASKED_PHONE)  # only what was asked for
    log = AccessLog.objects.get()
    assert (log.who, log.ground, log.customer_id, log.case_id) == (
        cast.mia,
        "lead",
        scene.customer.pk,
        None,
    )
    assert PHONE not in chosen.inner_text()


def test_frontline_gets_no_show_button(page, cast, scene, sign_in):
    sign_in("fiona")
    page.get_by_role("link", name="Intake", exact=True).click()
    page.get_by_label("Find the customer").press_sequentially("Carl", delay=30)
    page.get_by_role("button", name=re.compile("Carla Mendes")).click()
    expect(page.get_by_test_id("chosen-customer")).to_contain_text(MASKED_EMAIL)
    expect(page.get_by_test_id("show-email")).to_have_count(0)
