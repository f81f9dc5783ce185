"""Problems in a real browser: the fix owner marks a problem fixed with a note; a case linked
afterwards makes it come back on the problems page, which a 390 px phone shows whole."""

import re

import pytest
from playwright.sync_api import expect

from relaydesk.problems import actions as problems
from relaydesk.problems.models import Problem
from tests.problems.helpers import make_problem, solved_with

pytestmark = pytest.mark.browser


def test_the_fix_owner_marks_a_problem_fixed_and_sees_it_come_back(
    page, live_server, cast, sign_in, shoot
):
    problem = make_problem(cast.mia, "Ticket machine double-charges")
    problems.set_problem_owner(problem, acting=cast.mia, owner=cast.eve)
    solved_with(problem, category=cast.billing, owner=cast.fran)

    sign_in("eve")
    page.get_by_role("link", name="Problems", exact=True).click()
    listed = page.get_by_test_id("problems")
    expect(listed).to_contain_text("Being fixed")
    listed.get_by_role("link", name="Ticket machine double-charges").click()
    page.locator("summary").filter(has_text=re.compile("^Mark fixed$")).click()
    page.get_by_label("What was fixed").fill("Replaced the card reader at station 4.")
    page.get_by_role("button", name="Mark fixed").click()
    expect(page.get_by_text("Marked fixed.")).to_be_visible()
    expect(page.get_by_test_id("problem-status")).to_have_text("Fixed")
    expect(page.get_by_test_id("fixed-note")).to_have_text("Replaced the card reader at station 4.")
    expect(page.get_by_test_id("problem-timeline")).to_contain_text("Marked fixed")
    shoot("problem-fixed")
    assert Problem.objects.get().fixed_note == "Replaced the card reader at station 4."

    solved_with(problem, category=cast.billing, owner=cast.fran, n=2)  # it came back
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/problems/")
    row = page.locator(f"#problem-{problem.pk}")
    expect(row).to_contain_text("came back")
    expect(row.locator("svg.sparkline")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone
    shoot("problems-phone")
