"""In a real browser: a file uploaded at intake or on the case page, and /contact's questions."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from relaydesk.cases.models import Attachment, Case
from tests import factories

pytestmark = pytest.mark.browser

PHOTO = b"\xff\xd8\xff\xe0 a small jpeg-ish file " * 50


def test_frontline_uploads_a_file_at_intake_and_finds_it_on_the_case_page(
    page, live_server, cast, damage, sign_in, shoot, tmp_path
):
    sign_in("fran")
    page.goto(f"{live_server.url}/intake/")
    page.get_by_label("Name", exact=True).fill("Dana Ruiz")
    page.locator("#id_category").select_option("damage")
    page.get_by_label("Photo of the damage").set_input_files(
        files=[{"name": "crack.jpg", "mimeType": "image/jpeg", "buffer": PHOTO}]
    )
    page.locator("#id_subject").fill("The vase arrived in pieces")
    shoot("intake-upload")
    page.get_by_role("button", name="Open case").click()

    case = Case.objects.get()
    expect(page.get_by_test_id("opened-ref")).to_have_text(case.ref)
    page.get_by_role("link", name=f"Open {case.ref}").click()
    link = page.get_by_test_id("detail-file")
    expect(link).to_have_text("crack.jpg")
    expect(page.get_by_test_id("missing-details")).to_have_count(0)
    expect(page.get_by_test_id("case-files")).to_contain_text("crack.jpg")
    shoot("case-with-upload")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "crack.jpg"
    saved = tmp_path / "downloaded.jpg"
    download.save_as(saved)
    assert saved.read_bytes() == PHOTO
    assert Attachment.objects.get().case == case


def test_the_owner_adds_the_missing_file_on_the_case_page(
    page, live_server, cast, damage, sign_in, shoot
):
    case = factories.make_case(category=damage, acting=cast.fran, details={})
    sign_in("fran")
    page.goto(f"{live_server.url}/cases/{case.ref}/")
    expect(page.get_by_test_id("missing-details")).to_contain_text("Photo of the damage")
    page.get_by_label("Photo of the damage").set_input_files(
        files=[{"name": "later.png", "mimeType": "image/png", "buffer": b"\x89PNG later"}]
    )
    page.get_by_role("button", name="Save details").click()  # an htmx post, multipart

    expect(page.get_by_text("Details saved.")).to_be_visible()
    expect(page.get_by_test_id("missing-details")).to_have_count(0)
    expect(page.get_by_test_id("detail-file")).to_have_text("later.png")
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Photo of the damage: (empty) → later.png"
    )
    shoot("case-file-added")
    case.refresh_from_db()
    assert case.details["photo"]["name"] == "later.png"
    assert Path(Attachment.objects.get().stored_name).name.startswith("u")


def test_contact_shows_the_realtime_questions_after_picking_a_category(
    page, live_server, cast, shoot
):
    page.goto(f"{live_server.url}/contact")
    expect(page.get_by_test_id("realtime-questions")).to_have_count(0)
    page.locator("#id_category").select_option("billing")  # htmx swaps the form in

    questions = page.get_by_test_id("realtime-questions")
    expect(questions).to_be_visible()
    travelling = page.get_by_label("Is the customer travelling within 24 hours?")
    expect(travelling).to_be_visible()
    expect(page).to_have_url(re.compile(r"/contact\?category=billing$"))
    shoot("contact-questions")

    page.get_by_label("Your name").fill("Carla Mendes")
    page.get_by_label("Your email").fill("carla@example.com")
    page.get_by_label("In a few words").fill("Ticket invalid, train at noon")
    page.get_by_label("Invoice number").fill("INV-77")
    travelling.check()
    page.get_by_label("What happened?").fill("The app says my ticket is invalid.")
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_test_id("realtime-promise")).to_have_text(
        "Your case is urgent: we will handle it within the hour."
    )
    shoot("contact-urgent")
    assert Case.objects.get().realtime
