"""Dismiss and merge in a real browser: the owner merges a duplicate into the kept case and
follows the link to it, then dismisses a spam case; htmx swaps the case in place."""

import re

import pytest
from playwright.sync_api import expect

from relaydesk.cases.models import Case, Status
from tests import factories

pytestmark = pytest.mark.browser


def test_the_owner_merges_a_duplicate_then_dismisses_spam(page, live_server, cast, sign_in):
    carla = factories.make_customer()
    kept = factories.make_case(category=cast.billing, acting=cast.fran, customer=carla)
    duplicate = factories.make_case(
        category=cast.billing, acting=cast.fran, customer=carla, subject="Charged 2x again"
    )
    spam = factories.make_case(category=cast.billing, acting=cast.fran, subject="Cheap watches")

    sign_in("fran")
    page.goto(f"{live_server.url}/cases/{duplicate.ref}/")
    page.locator("summary").filter(has_text=re.compile("^Merge into another case$")).click()
    page.get_by_label("Keep case").fill(kept.ref)
    page.get_by_role("button", name=f"Merge {duplicate.ref} into it").click()
    expect(page.get_by_text(f"{duplicate.ref} is merged into {kept.ref}.")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Merged")
    page.get_by_test_id("kept-case").click()
    expect(page.get_by_test_id("timeline")).to_contain_text(f"From {duplicate.ref}: Charged 2x")

    page.goto(f"{live_server.url}/cases/{spam.ref}/")
    page.locator("summary").filter(has_text=re.compile("^Dismiss$")).click()
    page.get_by_label("Why dismiss it").select_option("misdirected")
    page.get_by_role("button", name=f"Dismiss {spam.ref}").click()
    expect(page.get_by_text("Say in a note why it is dismissed")).to_be_visible()
    page.get_by_label("Note for colleagues").fill("Meant for the watch shop next door.")
    page.get_by_role("button", name=f"Dismiss {spam.ref}").click()
    expect(page.get_by_text(f"{spam.ref} is dismissed; staff can reopen it.")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Dismissed")

    assert Case.objects.get(pk=spam.pk).status == Status.DISMISSED
    assert Case.objects.get(pk=duplicate.pk).merged_into_id == kept.pk
