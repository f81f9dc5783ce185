"""The customer's whole path on a 390 px phone, in a real browser, from the mail we sent.

The outbox writes each message as an .eml file (the embedded default backend); the customer's
browser follows the status link parsed out of that file. The owner works in a second browser.
"""

import re
import struct
import zlib
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from relaydesk.cases import actions
from relaydesk.cases.models import Case, EventKind, Status, SurveyAnswer
from relaydesk.outbox.sending import handle_one_send_batch
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.browser_context_args(viewport={"width": 390, "height": 844}),
]

RECEIPT = b"%PDF-1.4 the refund receipt"


def small_png(width: int = 8, height: int = 8) -> bytes:
    """A real, valid PNG: a small red square."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PHOTO = small_png()


class Outbox:
    """The .eml files the outbox wrote, read as the customer's mail program would."""

    def __init__(self, folder: Path):
        self.folder = folder

    def send_and_read(self, to: str, contains: str) -> EmailMessage:
        """Send what is queued; the one new message to `to` whose text has `contains`."""
        while handle_one_send_batch():
            pass
        found = []
        for path in sorted(self.folder.glob("*.eml")):
            mail = message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(mail, EmailMessage)
            text = mail.get_body(preferencelist=("plain",))
            if to in mail["To"] and text is not None and contains in text.get_content():
                found.append(mail)
        assert len(found) == 1, f"{len(found)} mails to {to} saying {contains!r}"
        return found[0]


def status_link(mail: EmailMessage) -> str:
    text = mail.get_body(preferencelist=("plain",))
    assert text is not None
    link = re.search(r"https?://\S+/status/[A-Za-z0-9_-]{22,}", text.get_content())
    assert link is not None, text.get_content()
    return link.group(0)


@pytest.fixture
def outbox(settings, tmp_path, live_server) -> Outbox:
    """Mail as the product writes it by default, with links to this test's server."""
    settings.EMAIL_BACKEND = "relaydesk.outbox.backends.EmlFileBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.BASE_URL_GIVEN = True
    settings.BASE_URL = live_server.url
    return Outbox(tmp_path / "outbox")


def staff_signs_in(staff: Page, live_server, username: str) -> None:
    staff.goto(f"{live_server.url}/login/")
    staff.get_by_label("Username").fill(username)
    staff.get_by_label("Password").fill("pw")
    staff.get_by_role("button", name="Sign in").click()
    staff.wait_for_url(f"{live_server.url}/")


def solve_on_the_case_page(staff: Page, case: Case, resolution: str) -> None:
    staff.locator("summary").filter(has_text=re.compile("^Solve$")).click()
    staff.get_by_label("Resolution").fill(resolution)
    staff.get_by_role("radio", name=re.compile("^A one-off")).check()
    staff.get_by_label("Why it is a one-off").fill("A terminal glitch, since replaced.")
    staff.get_by_role("button", name=f"Solve {case.ref}").click()
    expect(staff.get_by_test_id("case-status")).to_have_text("Solved")


def test_the_customers_whole_path_from_the_acknowledgement_to_the_survey(
    page, new_context, live_server, cast, outbox, shoot, tmp_path
):
    customer = page
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    assert case.owner == cast.fran
    acknowledgement = outbox.send_and_read("carla@example.com", "/status/")
    link = status_link(acknowledgement)
    assert link.startswith(live_server.url)

    # The customer follows the link: a clean address, the token gone from it.
    customer.goto(link)
    clean = f"{live_server.url}/status/case/{case.ref}/"
    expect(customer).to_have_url(clean)
    token = link.rsplit("/", 1)[1]
    assert token not in customer.url
    expect(customer.get_by_test_id("ref")).to_have_text(case.ref)
    expect(customer.get_by_test_id("status")).to_contain_text("Fran (Frontline) has your case")
    assert customer.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone

    # … and writes back with a photo.
    customer.get_by_label("Your message").fill("Here is the photo of my ticket.")
    customer.get_by_label("A file (optional)").set_input_files(
        files=[{"name": "ticket.png", "mimeType": "image/png", "buffer": PHOTO}]
    )
    customer.get_by_role("button", name="Send", exact=True).click()
    expect(customer.get_by_text("Thank you: we have your message.")).to_be_visible()
    timeline = customer.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Here is the photo of my ticket.")
    expect(timeline.get_by_role("link", name="ticket.png")).to_be_visible()
    shoot("status-customer-wrote")

    # The owner, in another browser, sees the words and the photo, and replies with a file.
    staff = new_context().new_page()
    staff_signs_in(staff, live_server, "fran")
    staff.goto(f"{live_server.url}/cases/{case.ref}/")
    staff_timeline = staff.get_by_test_id("timeline")
    expect(staff_timeline).to_contain_text("Here is the photo of my ticket.")
    with staff.expect_download() as photo_download:
        staff_timeline.get_by_role("link", name="ticket.png").click()
    photo_download.value.save_as(tmp_path / "seen-by-staff.png")
    assert (tmp_path / "seen-by-staff.png").read_bytes() == PHOTO
    staff.get_by_label("Reply to the customer").fill("Thank you, Carla: we refunded it.")
    staff.get_by_label("Files to send with it").set_input_files(
        files=[{"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": RECEIPT}]
    )
    staff.get_by_role("button", name="Send to the customer").click()
    expect(staff_timeline).to_contain_text("replied to the customer")

    # The customer sees the reply and takes its file.
    customer.reload()
    expect(timeline).to_contain_text("Fran wrote")
    expect(timeline).to_contain_text("Thank you, Carla: we refunded it.")
    with customer.expect_download() as receipt_download:
        timeline.get_by_role("link", name="receipt.pdf").click()
    assert receipt_download.value.suggested_filename == "receipt.pdf"
    receipt_download.value.save_as(tmp_path / "receipt.pdf")
    assert (tmp_path / "receipt.pdf").read_bytes() == RECEIPT
    shoot("status-reply-seen")

    # The owner solves; the solve mail's link opens the survey, rated 1 with words.
    solve_on_the_case_page(staff, case, "Refunded the second charge.")
    solve_mail = outbox.send_and_read("carla@example.com", "Refunded the second charge.")
    customer.goto(status_link(solve_mail))
    expect(customer).to_have_url(clean)
    expect(customer.get_by_test_id("status")).to_contain_text("Solved")
    survey = customer.get_by_test_id("survey")
    survey.locator("label.rating-choice").filter(has_text="Very unhappy").click()
    survey.get_by_label("What should we fix?").fill("The refund took three weeks.")
    shoot("status-survey")
    survey.get_by_role("button", name="Send my answer").click()
    expect(customer.get_by_test_id("survey-thanks")).to_contain_text("we reopened your case")
    expect(customer.get_by_test_id("status")).to_contain_text("Fran (Frontline) has your case")

    case.refresh_from_db()
    assert case.status == Status.OPEN and case.owner == cast.fran  # at the solver again
    answer = SurveyAnswer.objects.get(case=case)
    assert answer.rating == 1 and answer.fix == "The refund took three weeks."
    assert case.events.filter(kind=EventKind.REOPENED).exists()
    staff.reload()
    expect(staff.get_by_test_id("case-status")).to_have_text("Open")


def test_a_second_case_rated_5_shows_as_delighted_on_the_solvers_page(
    page, new_context, live_server, cast, outbox
):
    customer = page
    case = factories.make_case(category=cast.billing, acting=cast.fran, subject="Lost my bike")
    outbox.send_and_read("carla@example.com", "/status/")
    actions.solve(case, acting=cast.fran, resolution="Found your bike.", one_off_reason="Once")
    solve_mail = outbox.send_and_read("carla@example.com", "Found your bike.")

    customer.goto(status_link(solve_mail))
    survey = customer.get_by_test_id("survey")
    survey.locator("label.rating-choice").filter(has_text="Delighted").click()
    survey.get_by_label("What delighted you?").fill("Fran found it before my train left.")
    survey.get_by_role("button", name="Send my answer").click()
    expect(customer.get_by_test_id("survey-thanks")).to_be_visible()

    staff = new_context().new_page()
    staff_signs_in(staff, live_server, "mia")
    staff.goto(f"{live_server.url}/people/fran/")
    delighted = staff.get_by_test_id("delighted")
    expect(delighted).to_contain_text(case.ref)
    expect(delighted).to_contain_text("Fran found it before my train left.")
