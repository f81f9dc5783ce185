"""The staff pages in a real browser: intake, passing, solving, taking, errors, small screens."""

import re

import pytest
from playwright.sync_api import expect

from relaydesk.cases import actions
from relaydesk.cases.models import Case, EventKind, Status
from relaydesk.cases.words import promise_words
from relaydesk.timekeeping import now
from tests import factories

pytestmark = pytest.mark.browser


def _summary(page, text):
    return page.locator("summary").filter(has_text=re.compile(f"^{text}$"))


def _at_sam(cast, subject="Charged twice for my season ticket"):
    case = factories.make_case(category=cast.billing, acting=cast.fran, subject=subject)
    return actions.pass_case(
        case, acting=cast.fran, reason="needs_expertise", note="Needs a refund", to_user=cast.sam
    )


def test_frontline_opens_a_case_at_intake_and_passes_it_to_tier_two(
    page, live_server, cast, sign_in, shoot
):
    factories.make_customer(name="Dana Ruiz", email="dana@example.com", phone="+31 6 5555 1234")
    sign_in("fran")
    page.get_by_role("link", name="Intake", exact=True).click()
    page.get_by_label("Find the customer").press_sequentially("Dan", delay=30)
    page.get_by_role("button", name=re.compile("Dana Ruiz")).click()
    # Rule 15: fran leads nobody, so intake shows the masks (enough to pick the right person).
    expect(page.get_by_test_id("chosen-customer")).to_contain_text("d•••@example.com")
    page.locator("#id_category").select_option("billing")
    page.get_by_label("Invoice number").fill("INV-42")
    page.locator("#id_subject").fill("Charged twice for one ticket")
    page.locator("#id_real_need").fill("Her money back before rent is due")
    expect(page.get_by_test_id("script")).to_contain_text("will be dealt with by")
    shoot("intake")
    page.get_by_role("button", name="Open case").click()

    case = Case.objects.get(subject="Charged twice for one ticket")
    expect(page.get_by_test_id("opened-ref")).to_have_text(case.ref)
    promise = promise_words(case.deadline, time_zone=cast.company.time_zone, now=now())
    expect(page.get_by_test_id("opened-promise")).to_have_text(promise)
    assert case.owner == cast.fran and case.customer.name == "Dana Ruiz"
    shoot("intake-opened")

    page.get_by_role("link", name=f"Open {case.ref}").click()
    _summary(page, "Pass").click()
    page.get_by_label("Pass to").select_option("tier:specialist")
    page.get_by_label("Reason").select_option("needs_expertise")
    page.get_by_label("Note for the next owner").fill("Bank confirms the double charge.")
    page.get_by_role("button", name=f"Pass {case.ref}").click()
    expect(page.get_by_text("Passed to Sam Special (Specialist).")).to_be_visible()
    expect(page.get_by_test_id("case-owner")).to_have_text("Sam Special")
    expect(page.get_by_test_id("timeline")).to_contain_text("passed it up to Sam Special")
    shoot("case-passed")
    case.refresh_from_db()
    assert case.owner == cast.sam
    assert case.events.get(kind=EventKind.PASSED).reason == "needs_expertise"


def test_tier_two_finds_the_case_in_my_cases_and_solves_it(page, live_server, cast, sign_in, shoot):
    case = _at_sam(cast)
    sign_in("sam")
    expect(page.get_by_test_id("count-open")).to_have_text("1")
    shoot("my-cases")
    page.get_by_role("link", name=case.ref).click()
    _summary(page, "Solve").click()
    page.get_by_label("Resolution").fill("Refunded the second charge.")
    page.get_by_role("radio", name=re.compile("^A one-off")).check()
    page.get_by_label("Why it is a one-off").fill("A terminal glitch, since replaced.")
    page.get_by_role("button", name=f"Solve {case.ref}").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Solved")
    expect(page.get_by_text(f"{case.ref} is solved.")).to_be_visible()
    shoot("case-solved")
    case.refresh_from_db()
    assert case.status == Status.SOLVED and case.solved_by == cast.sam
    page.get_by_role("link", name="My cases", exact=True).click()
    expect(page.get_by_test_id("count-open")).to_have_text("0")


def test_tier_three_takes_a_case_from_the_queue_with_one_click(
    page, live_server, cast, sign_in, shoot
):
    case = _at_sam(cast)
    sign_in("eve")
    page.get_by_role("link", name="Queue", exact=True).click()
    shoot("queue")
    page.evaluate("window.__stillHere = true")  # a full reload would forget this
    page.get_by_role("button", name=f"Take {case.ref}").click()
    expect(page.locator(f"#row-{case.ref}")).to_contain_text("Taken")
    expect(page.locator(f"#row-{case.ref} [role=status]")).to_be_focused()
    assert page.evaluate("window.__stillHere") is True
    shoot("queue-taken")
    case.refresh_from_db()
    assert case.owner == cast.eve


def test_an_invalid_form_shows_its_field_errors(page, live_server, cast, sign_in, shoot):
    sign_in("fran")
    page.goto(f"{live_server.url}/intake/")
    page.get_by_label("Name", exact=True).fill("Dana Ruiz")
    page.locator("#id_category").select_option("billing")
    page.get_by_label("Amount charged").fill("lots")
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_test_id("form-error")).to_be_visible()
    expect(page.get_by_text("Write what the customer asked for.")).to_be_visible()
    expect(page.get_by_text("Enter a number.")).to_be_visible()
    expect(page.get_by_label("Amount charged")).to_have_value("lots")
    expect(page.get_by_label("Amount charged")).to_have_attribute("aria-invalid", "true")
    shoot("intake-errors")
    assert Case.objects.count() == 0

    case = factories.make_case(category=cast.billing, acting=cast.fran)
    page.goto(f"{live_server.url}/cases/{case.ref}/")
    _summary(page, "Solve").click()
    page.get_by_role("button", name=f"Solve {case.ref}").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Open")
    shoot("solve-errors")


def test_intake_switches_forms_by_category(page, live_server, cast, sign_in):
    factories.make_category(
        "delivery",
        "Delivery",
        fields=[{"key": "order", "label": "Order number", "type": "short_text", "required": True}],
    )
    sign_in("fran")
    page.goto(f"{live_server.url}/intake/")
    page.locator("#id_category").select_option("billing")
    expect(page.get_by_label("Invoice number")).to_be_visible()
    page.locator("#id_category").select_option("delivery")
    expect(page.get_by_label("Order number")).to_be_visible()
    expect(page.get_by_label("Invoice number")).to_have_count(0)


def test_a_missing_required_field_blocks_passing_up_until_it_is_completed(
    page, live_server, cast, sign_in, shoot
):
    case = factories.make_case(category=cast.billing, acting=cast.fran, details={})
    sign_in("fran")
    page.goto(f"{live_server.url}/cases/{case.ref}/")
    expect(page.get_by_test_id("missing-details")).to_contain_text("Invoice number")
    _summary(page, "Pass").click()
    page.get_by_label("Pass to").select_option("tier:specialist")
    page.get_by_label("Reason").select_option("needs_expertise")
    page.get_by_label("Note for the next owner").fill("Over to you")
    page.get_by_role("button", name=f"Pass {case.ref}").click()
    expect(page.get_by_test_id("domain-error")).to_have_text(
        f"Complete the required details before passing {case.ref} up: Invoice number."
    )
    expect(page.get_by_text("Required before passing up.")).to_be_visible()
    expect(page.get_by_test_id("domain-error")).to_be_focused()
    expect(page.get_by_test_id("case-owner")).to_have_text("Fran Okafor")
    shoot("pass-blocked")

    page.get_by_label("Invoice number").fill("INV-7")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Details saved.")).to_be_visible()
    expect(page.get_by_test_id("missing-details")).to_have_count(0)
    _summary(page, "Pass").click()
    page.get_by_label("Pass to").select_option("tier:specialist")
    page.get_by_label("Reason").select_option("needs_expertise")
    page.get_by_label("Note for the next owner").fill("Over to you")
    page.get_by_role("button", name=f"Pass {case.ref}").click()
    expect(page.get_by_test_id("case-owner")).to_have_text("Sam Special")


def test_a_realtime_yes_shows_the_realtime_notice(page, live_server, cast, sign_in, shoot):
    sign_in("fran")
    page.goto(f"{live_server.url}/intake/")
    page.locator("#id_category").select_option("billing")
    trigger = page.get_by_label("Is the customer travelling within 24 hours?")
    expect(page.get_by_test_id("realtime-notice")).to_have_count(0)
    trigger.check()
    expect(page.get_by_test_id("realtime-notice")).to_contain_text("stay with the caller")
    shoot("intake-realtime")
    trigger.uncheck()
    expect(page.get_by_test_id("realtime-notice")).to_have_count(0)
    trigger.check()
    page.get_by_label("Name", exact=True).fill("Dana Ruiz")
    page.locator("#id_subject").fill("Train leaves at noon, ticket invalid")
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_test_id("realtime-notice")).to_be_visible()
    assert Case.objects.get().realtime


@pytest.mark.parametrize("width", [1280, 390])
def test_the_main_pages_fit_the_screen_and_start_with_a_skip_link(
    page, live_server, cast, sign_in, shoot, width
):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("fran")
    for name, path in [
        ("my-cases", "/"),
        ("queue", "/queue/"),
        ("intake", "/intake/?category=billing"),
        ("case", f"/cases/{case.ref}/"),
        ("people", "/people/"),
        ("notifications", "/notifications/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        shoot(f"{name}-{width}")
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"


def test_on_a_phone_the_actions_and_the_reply_box_come_before_the_details(
    page, live_server, cast, sign_in
):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in("fran")
    page.goto(f"{live_server.url}/cases/{case.ref}/")

    def top(selector: str) -> float:
        return page.locator(selector).first.bounding_box()["y"]

    details = top("#details-h")
    assert top("#actions-h") < details
    assert top("#reply") < details
    page.get_by_test_id("jump-to-reply").click()
    expect(page.locator("#reply")).to_be_in_viewport()


def test_the_deadline_countdown_ticks_without_a_reload(page, live_server, cast, sign_in):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    page.clock.install()
    sign_in("fran")
    page.goto(f"{live_server.url}/cases/{case.ref}/")
    countdown = page.locator(".countdown")
    expect(countdown).to_have_text(re.compile(r"^19 h 5\d min left$"))
    page.clock.fast_forward("02:00:00")
    expect(countdown).to_have_text(re.compile(r"^17 h 5\d min left$"))
    page.clock.fast_forward("20:00:00")
    expect(countdown).to_have_text(re.compile(r"overdue$"))
