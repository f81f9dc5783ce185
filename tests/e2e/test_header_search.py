"""The header's search box in a real browser (issue 17 part 5): by reference it lands on the
case, by a customer's name it lists them, by a word it lists the cases with the word marked;
and on the case page, earlier cases like this arrive after the page, linked in one click."""

import pytest
from playwright.sync_api import expect

from relaydesk.cases import actions
from tests.factories import make_case, make_customer

pytestmark = pytest.mark.browser


@pytest.fixture
def carla_case(cast):
    carla = make_customer(name="Carla Mendes", email="carla@example.com", phone="+31 20 123 4437")
    return make_case(
        category=cast.billing,
        acting=cast.fran,
        customer=carla,
        subject="Ticket machine ate my card",
    )


def search(page, words: str):
    box = page.get_by_role("searchbox", name="Search: a reference, a customer, words")
    box.fill(words)
    box.press("Enter")


def test_a_reference_lands_on_its_case(page, cast, carla_case, sign_in, shoot):
    sign_in("fran")
    search(page, carla_case.ref.lower().replace("-", " "))  # "rd 1001"
    expect(page.get_by_role("heading", level=1)).to_contain_text(carla_case.ref)
    assert page.url.endswith(f"/cases/{carla_case.ref}/")
    shoot("by-reference")


def test_a_customers_name_lists_them_masked_and_leads_to_their_cases(
    page, cast, carla_case, sign_in, shoot
):
    sign_in("fran")
    search(page, "mendes")
    customers = page.get_by_test_id("customer-results")
    expect(customers).to_contain_text("Carla Mendes")
    expect(customers).to_contain_text("c•••@example.com")
    expect(customers).not_to_contain_text("carla@example.com")
    shoot("by-name")
    customers.get_by_role("link", name="Carla Mendes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Carla Mendes")
    expect(page.get_by_test_id("customer-cases")).to_contain_text(carla_case.ref)


def test_a_word_lists_the_cases_with_the_word_marked(page, cast, carla_case, sign_in, shoot):
    make_case(category=cast.billing, acting=cast.fran, subject="Wifi on the train is down")
    sign_in("fran")
    search(page, "machine")
    hits = page.get_by_test_id("case-results")
    expect(hits.locator("mark")).to_have_text(["machine"])
    expect(hits).not_to_contain_text("Wifi")
    shoot("by-word")
    hits.get_by_role("link", name=f"{carla_case.ref} · Ticket machine ate my card").click()
    assert page.url.endswith(f"/cases/{carla_case.ref}/")


def test_similar_cases_arrive_after_the_page_and_link_in_one_click(page, cast, sign_in, shoot):
    def opened(subject: str, message: str, n: int):
        return actions.open_case(
            customer_name=f"Customer {n}",
            category=cast.billing,
            subject=subject,
            details={"invoice": "INV"},
            customer_message=message,
            channel="phone",
            acting=cast.fran,
        )

    earlier = opened("Direct debit taken twice", "Two direct debits from my bank.", 1)
    earlier = actions.solve(
        earlier, acting=cast.fran, resolution="Refunded.", new_problem_title="Debit twice"
    )
    question = opened("Charged twice by direct debit", "My bank shows two debits.", 2)

    sign_in("fran")
    page.goto(page.url + f"cases/{question.ref}/")
    section = page.get_by_test_id("similar")
    expect(section).to_contain_text("Debit twice")
    expect(section).to_contain_text(earlier.ref)
    shoot("similar")
    section.get_by_role("button", name=f"Link {question.ref} to this problem").click()
    expect(page.get_by_text(f"{question.ref} linked to “Debit twice”.")).to_be_visible()
    expect(page.get_by_test_id("similar-linked")).to_be_visible()  # the section came back

    page.locator("summary").filter(has_text="Solve").click()  # its problems load when opened
    page.get_by_label("Resolution").fill("Refunded the second debit.")
    pick = page.get_by_test_id("similar-pick")
    pick.click()
    expect(page.get_by_label("Caused by a known problem")).to_be_checked()
    expect(page.get_by_label("Known problem", exact=True)).to_have_value(str(earlier.problem_id))
    expect(page.get_by_label("Resolution")).to_have_value("Refunded the second debit.")
