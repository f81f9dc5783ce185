"""File fields really take files: at intake, on the case page, downloaded by staff only."""

import hashlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from relaydesk.cases import actions
from relaydesk.cases.details import missing_required
from relaydesk.cases.models import Attachment, Case, EventKind
from tests import factories
from tests.web.conftest import HTMX

PHOTO = b"\x89PNG\r\n\x1a\n" + b"not really a picture, but bytes all the same" * 20


def stored_files(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


def _post(client, **overrides):
    data = {
        "customer-name": "Dana Ruiz",
        "customer-email": "dana@example.com",
        "category": "damage",
        "subject": "The vase arrived in pieces",
        "detail_order": "ORD-7",
        "detail_photo": SimpleUploadedFile("vase.png", PHOTO, content_type="image/png"),
    }
    data.update(overrides)
    return client.post("/intake/", {k: v for k, v in data.items() if v is not None})


def test_the_intake_form_posts_files_as_multipart(signed_in, cast, damage):
    client = signed_in(cast.fran)
    page = client.get("/intake/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    form = client.get("/intake/form/?category=damage", headers=HTMX).content.decode()
    assert 'type="file"' in form and 'name="detail_photo"' in form
    assert "Up to 25 MB." in form


def test_a_file_uploaded_at_intake_is_kept_under_a_generated_name_and_linked_to_the_case(
    signed_in, cast, damage, settings
):
    client = signed_in(cast.fran)
    upload = SimpleUploadedFile("../../settings.py", PHOTO, content_type="text/x-python")
    response = _post(client, detail_photo=upload)

    assert response.status_code == 302
    case = Case.objects.get()
    attachment = Attachment.objects.get()
    assert attachment.case == case
    assert attachment.raw_message is None
    assert attachment.original_name == "settings.py"
    assert attachment.size == len(PHOTO)
    assert attachment.sha256 == hashlib.sha256(PHOTO).hexdigest()
    assert case.details == {
        "order": "ORD-7",
        "photo": {"attachment": attachment.pk, "name": "settings.py"},
    }
    # Rule 2: the uploaded file counts as given.
    assert missing_required(case.category, case.details) == []
    [on_disk] = stored_files(settings)
    assert on_disk.name == attachment.stored_name
    assert "settings" not in on_disk.name and on_disk.name.startswith("u")
    assert on_disk.read_bytes() == PHOTO


def test_the_case_page_offers_the_uploaded_file_as_a_download(signed_in, cast, damage):
    client = signed_in(cast.fran)
    _post(client)
    case = Case.objects.get()
    attachment = Attachment.objects.get()

    html = client.get(f"/cases/{case.ref}/").content.decode()
    link = f'<a href="/mail/attachments/{attachment.pk}/" download'
    assert f'{link} data-testid="detail-file">vase.png</a>' in html
    assert 'data-testid="case-files"' in html and "uploaded" in html
    assert "Missing before it can be passed up" not in html


def test_staff_download_the_uploaded_file_as_an_attachment_never_inline(signed_in, cast, damage):
    client = signed_in(cast.fran)
    _post(client, detail_photo=SimpleUploadedFile("Schaden ü.html", b"<script>x</script>"))
    attachment = Attachment.objects.get()

    response = signed_in(cast.sam).get(f"/mail/attachments/{attachment.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"<script>x</script>"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Schaden _.html\"; filename*=UTF-8''Schaden%20%C3%BC.html"
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_anonymous_visitors_cannot_download_an_uploaded_file(signed_in, cast, damage):
    _post(signed_in(cast.fran))
    attachment = Attachment.objects.get()

    response = Client().get(f"/mail/attachments/{attachment.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert PHOTO not in response.content


def test_an_oversized_file_is_a_field_error_naming_the_limit_and_nothing_is_kept(
    signed_in, cast, damage, settings
):
    settings.MAIL_MAX_ATTACHMENT_BYTES = 1024
    big = SimpleUploadedFile("big.png", b"x" * 2048, content_type="image/png")

    response = _post(signed_in(cast.fran), detail_photo=big)

    assert response.status_code == 422
    html = response.content.decode()
    assert "This file is too large: files are limited to 1 KB." in html
    assert 'id="id_detail_photo" name="detail_photo" type="file" aria-invalid="true"' in html
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_a_form_that_comes_back_asks_for_the_good_file_again(signed_in, cast, damage, settings):
    response = _post(signed_in(cast.fran), subject="")

    assert response.status_code == 422
    assert "Choose this file again" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_a_required_file_may_wait_at_intake_and_the_case_says_it_is_missing(
    signed_in, cast, damage
):
    client = signed_in(cast.fran)
    response = _post(client, detail_photo=None)

    assert response.status_code == 302
    case = Case.objects.get()
    assert "photo" not in case.details
    opened = client.get(response["Location"]).content.decode()
    assert "Still missing (needed before passing up): Photo of the damage." in opened
    page = client.get(f"/cases/{case.ref}/").content.decode()
    assert "Missing before it can be passed up: Photo of the damage" in page
    assert 'enctype="multipart/form-data" hx-encoding="multipart/form-data"' in page


def test_the_owner_completes_a_missing_file_on_the_case_page_then_may_pass_it_up(
    signed_in, cast, damage, settings
):
    client = signed_in(cast.fran)
    _post(client, detail_photo=None)
    case = Case.objects.get()

    response = client.post(
        f"/cases/{case.ref}/details/",
        {"detail_order": "ORD-7", "detail_photo": SimpleUploadedFile("later.jpg", PHOTO)},
        headers=HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Details saved." in html
    attachment = Attachment.objects.get()
    assert attachment.case_id == case.pk
    case.refresh_from_db()
    assert case.details["photo"] == {"attachment": attachment.pk, "name": "later.jpg"}
    change = case.events.get(kind=EventKind.FIELD_CHANGED).data["changes"]
    assert change == {
        "photo": {"old": None, "new": {"attachment": attachment.pk, "name": "later.jpg"}}
    }
    assert "Photo of the damage: (empty) → later.jpg" in html
    assert f'Download: <a href="/mail/attachments/{attachment.pk}/" download>later.jpg</a>' in html
    passed = actions.pass_case(
        case, acting=cast.fran, reason="needs_expertise", note="Photo in.", to_user=cast.sam
    )
    assert passed.owner == cast.sam


def test_saving_the_details_without_a_new_file_keeps_the_file(signed_in, cast, damage):
    client = signed_in(cast.fran)
    _post(client)
    case = Case.objects.get()
    before = dict(case.details)

    response = client.post(f"/cases/{case.ref}/details/", {"detail_order": "ORD-8"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.details == {**before, "order": "ORD-8"}
    assert Attachment.objects.count() == 1


def test_an_oversized_file_on_the_case_page_is_a_field_error(signed_in, cast, damage, settings):
    client = signed_in(cast.fran)
    _post(client, detail_photo=None)
    case = Case.objects.get()
    settings.MAIL_MAX_ATTACHMENT_BYTES = 10

    response = client.post(
        f"/cases/{case.ref}/details/",
        {"detail_photo": SimpleUploadedFile("later.jpg", PHOTO)},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "files are limited to 10 bytes" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not case.events.filter(kind=EventKind.FIELD_CHANGED).exists()


def test_text_posted_for_a_file_field_is_ignored(signed_in, cast, damage):
    """Only an upload fills a file field on the web forms; a forged text value does not."""
    client = signed_in(cast.fran)
    _post(client, detail_photo={"attachment": 1, "name": "x"}.__repr__())
    case = Case.objects.get()
    assert "photo" not in case.details


def test_the_timeline_links_only_files_the_case_keeps(signed_in, cast, damage):
    """Mail attachments are listed with the customer's words; an id of another case's file in
    event data is shown as a name at most, never as a link."""
    client = signed_in(cast.fran)
    _post(client)
    other = Case.objects.get()
    theirs = Attachment.objects.get()
    case = factories.make_case(category=damage, acting=cast.fran, details={})
    mine = Attachment.objects.create(
        case=case,
        original_name="receipt.pdf",
        size=3,
        stored_name="m1-1-abc",
        sha256="0" * 64,
        created_at=case.opened_at,
    )
    actions.customer_wrote(
        case,
        body="Here is the receipt.",
        attachments=[
            {"id": mine.pk, "name": "receipt.pdf", "size": 3},
            {"id": theirs.pk, "name": "vase.png", "size": 1},
        ],
    )

    html = client.get(f"/cases/{case.ref}/").content.decode()

    assert f'Download: <a href="/mail/attachments/{mine.pk}/" download>receipt.pdf</a></p>' in html
    assert f"/mail/attachments/{theirs.pk}/" not in html
    assert other.ref not in html


def test_the_owner_may_remove_a_wrong_file_from_the_details(signed_in, cast, damage):
    client = signed_in(cast.fran)
    _post(client)
    case = Case.objects.get()
    attachment = Attachment.objects.get()

    response = client.post(
        f"/cases/{case.ref}/details/", {"detail_order": "ORD-7", "detail_photo__remove": "1"}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert "photo" not in case.details
    change = case.events.get(kind=EventKind.FIELD_CHANGED).data["changes"]
    assert change == {
        "photo": {"old": {"attachment": attachment.pk, "name": "vase.png"}, "new": None}
    }
    page = client.get(f"/cases/{case.ref}/").content.decode()
    assert "Missing before it can be passed up: Photo of the damage" in page
    assert "Photo of the damage: vase.png → (empty)" in page
    assert Attachment.objects.get().case == case  # the file stays in the case's history
