"""Files on the status page: the customer's own and those our replies sent, as downloads for the
session that sees the case; every other file id gets the status page's one plain 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from relaydesk.cases import actions
from relaydesk.cases.models import Attachment, Case, EventKind
from relaydesk.cases.uploads import attachments_dir
from tests import factories
from tests.portal.test_status_page import assert_status_headers, opened

PHOTO = b"\x89PNG\r\n\x1a\n a photo of the ticket"
RECEIPT = b"%PDF-1.4 the refund receipt"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def file_url(case: Case, attachment: Attachment) -> str:
    return f"/status/case/{case.ref}/files/{attachment.pk}/"


def files_of(case: Case, kind: str) -> list[Attachment]:
    ids = [
        item["id"]
        for event in case.events.filter(kind=kind)
        for item in event.data.get("attachments", [])
    ]
    return list(Attachment.objects.filter(pk__in=ids).order_by("id"))


@pytest.fixture(autouse=True)
def files_here(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(cast):
    return factories.make_case(category=cast.billing, acting=cast.fran)


@pytest.fixture
def other_case(cast):
    customer = factories.make_customer(name="Otto Berg", email="otto@example.com")
    case = factories.make_case(category=cast.billing, acting=cast.fran, customer=customer)
    actions.customer_wrote(case, body="My bike", via="email", files=[upload("bike.jpg", PHOTO)])
    return case


def test_the_customers_file_and_a_replys_file_download_from_the_timeline(client, cast, case):
    opened(client, case)
    client.post(
        f"/status/case/{case.ref}/reply/",
        {"body": "My ticket", "file": upload("ticket.png", PHOTO, "image/png")},
    )
    actions.reply(case, acting=cast.fran, body="Refunded.", files=[upload("receipt.pdf", RECEIPT)])
    [photo] = files_of(case, EventKind.CUSTOMER_WROTE)
    [receipt] = files_of(case, EventKind.REPLIED)

    html = client.get(f"/status/case/{case.ref}/").content.decode()

    assert f'href="{file_url(case, photo)}" download>ticket.png<' in html
    assert f'href="{file_url(case, receipt)}" download>receipt.pdf<' in html
    for attachment, content in ((photo, PHOTO), (receipt, RECEIPT)):
        response = client.get(file_url(case, attachment))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Disposition"].startswith("attachment;")
        assert attachment.original_name in response["Content-Disposition"]
        assert response["Content-Type"] == "application/octet-stream"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert_status_headers(response)


def test_files_that_are_not_on_the_public_timeline_get_the_same_404(
    client, cast, damage, case, other_case
):
    own = factories.make_case(category=damage, acting=cast.fran, details={})
    actions.update_details(own, acting=cast.fran, files={"photo": upload("staff.jpg", PHOTO)})
    [detail_file] = Attachment.objects.filter(case=own)
    forged = Attachment.objects.get(case=other_case)  # then made to look like another mail's
    actions.customer_wrote(
        own,
        body="I am the customer, honest",
        via="email",
        verified=False,
        attachments=[{"id": forged.pk, "name": "bike.jpg"}],
    )
    opened(client, own)
    opened(client, case)
    missing = client.get("/status/case/RD-999999/").content

    for url in (
        file_url(own, detail_file),  # a file staff uploaded to the details
        file_url(own, forged),  # on an unverified mail, and another case's
        file_url(case, forged),  # another case's file through a case this session sees
        file_url(other_case, forged),  # a case this session never opened
        f"/status/case/{case.ref}/files/999999/",
        f"/status/case/{case.ref}/files/not-a-number/",
    ):
        refused = client.get(url)
        assert refused.status_code == 404, url
        assert refused.content == missing
        assert_status_headers(refused)
    assert Client().get(file_url(other_case, forged)).content == missing


def test_a_file_no_longer_kept_gets_the_same_404(client, case):
    actions.customer_wrote(case, body="Ticket", via="email", files=[upload("t.png", PHOTO)])
    [photo] = files_of(case, EventKind.CUSTOMER_WROTE)
    opened(client, case)
    missing = client.get("/status/case/RD-999999/").content

    (attachments_dir() / photo.stored_name).unlink()

    refused = client.get(file_url(case, photo))
    assert refused.status_code == 404 and refused.content == missing


def test_a_closed_cases_files_are_gone_with_its_page(client, cast, case):
    actions.customer_wrote(case, body="Ticket", via="email", files=[upload("t.png", PHOTO)])
    [photo] = files_of(case, EventKind.CUSTOMER_WROTE)
    opened(client, case)
    assert client.get(file_url(case, photo)).status_code == 200

    actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Bank glitch")
    actions.close(case, acting=None)

    assert client.get(file_url(case, photo)).status_code == 404


def test_the_files_sent_with_the_contact_form_are_the_customers_own(client, damage):
    photo = upload("crack.png", PHOTO, "image/png")
    sent = client.post(
        "/contact",
        {
            "category": "damage",
            "name": "Dana Ruiz",
            "email": "dana@example.com",
            "subject": "The vase arrived in pieces",
            "message": "See the photo.",
            "detail_photo": photo,
        },
    )
    assert sent.status_code == 302
    case = Case.objects.get()
    [crack] = files_of(case, EventKind.CUSTOMER_WROTE)

    html = opened(client, case).content.decode()

    assert f'href="{file_url(case, crack)}" download>crack.png<' in html
    assert b"".join(client.get(file_url(case, crack)).streaming_content) == PHOTO
