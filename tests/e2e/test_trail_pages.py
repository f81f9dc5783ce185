"""The trail's month page on a 390 px phone, in a real browser: both charts and the people
table render, and nothing makes the page scroll sideways."""

import pytest
from playwright.sync_api import expect

from relaydesk.cases import actions
from tests import factories

pytestmark = pytest.mark.browser


def test_the_month_page_fits_a_phone_with_its_charts_and_table(
    page, live_server, cast, sign_in, shoot
):
    for number in range(6):
        case = factories.make_case(category=cast.billing, acting=cast.fran)
        if number % 3 == 1:  # Sam solves two, Fran four
            actions.pass_case(
                case, acting=cast.fran, reason="needs_expertise", note="Yours", to_user=cast.sam
            )
            actions.solve(case, acting=cast.sam, resolution="Done.", one_off_reason="Once")
        else:
            actions.solve(case, acting=cast.fran, resolution="Done.", one_off_reason="Once")

    sign_in("mia")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Trail", exact=True).click()

    expect(page.get_by_role("heading", name="The pyramid")).to_be_visible()
    for chart in ("trail-pyramid", "trail-weekly"):
        svg = page.get_by_test_id(chart).locator("svg.pygal-chart")
        expect(svg).to_be_visible()
        box = svg.bounding_box()
        assert box is not None and 0 < box["width"] <= 390 and box["height"] > 100
    people = page.get_by_test_id("trail-people")
    expect(people).to_contain_text("Fran Okafor")
    expect(people).to_contain_text("Sam Special")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    expect(people.locator("td").first).to_contain_text("Fiona Front")  # by tier, then name
    shoot("trail-month-phone")
    page.get_by_role("link", name="Solved", exact=True).first.click()
    expect(page.get_by_test_id("trail-people").locator("td").first).to_contain_text("Fran Okafor")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
