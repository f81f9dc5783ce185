"""Uploads commit with their transaction, and nobody can claim a file they did not upload."""

import json
import os
import stat
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from relaydesk.api.tokens import create_token
from relaydesk.cases.details import StoredFile, clean_details
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import Attachment, Case, id_from_ref
from relaydesk.cases.uploads import UploadBatch, link
from tests import factories


def files_on_disk(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_committed_upload_keeps_its_row_and_its_file(damage, settings):
    with UploadBatch() as batch, transaction.atomic():
        stored = batch.save(SimpleUploadedFile("a.txt", b"abc"))

    attachment = Attachment.objects.get()
    assert stored == StoredFile(attachment.pk, "a.txt")
    assert [path.name for path in files_on_disk(settings)] == [attachment.stored_name]


def test_an_exception_in_the_transaction_deletes_the_file_it_wrote(damage, settings):
    with pytest.raises(DomainError), UploadBatch() as batch, transaction.atomic():
        batch.save(SimpleUploadedFile("a.txt", b"abc"))
        assert len(files_on_disk(settings)) == 1
        raise DomainError("refused")

    assert not Attachment.objects.exists()
    assert files_on_disk(settings) == []


def test_a_rollback_without_an_exception_deletes_the_file_too(damage, settings):
    with UploadBatch() as batch, transaction.atomic():
        batch.save(SimpleUploadedFile("a.txt", b"abc"))
        transaction.set_rollback(True)

    assert not Attachment.objects.exists()
    assert files_on_disk(settings) == []


def test_link_never_moves_a_file_another_case_already_has(cast, damage):
    with UploadBatch() as batch:
        theirs = batch.save(SimpleUploadedFile("theirs.txt", b"x"))
    first = factories.make_case(category=damage, acting=cast.fran, details={})
    second = factories.make_case(category=damage, acting=cast.fran, subject="Another", details={})
    link([theirs], first)
    link([theirs], second)
    assert Attachment.objects.get().case == first


def test_clean_details_takes_an_upload_only_from_server_code(damage):
    assert clean_details(damage, {"photo": StoredFile(7, "crack.jpg")}) == {
        "photo": {"attachment": 7, "name": "crack.jpg"}
    }
    with pytest.raises(Incomplete) as refused:
        clean_details(damage, {"photo": {"attachment": 7, "name": "crack.jpg"}})
    assert "Upload the file on the web form" in refused.value.fields["photo"]
    assert clean_details(damage, {"photo": "https://files.example/crack.jpg"}) == {
        "photo": "https://files.example/crack.jpg"
    }


def test_an_api_request_cannot_claim_another_cases_attachment(cast, damage, signed_in_api):
    other = factories.make_case(category=damage, acting=cast.fran, details={})
    with UploadBatch() as batch:
        theirs = batch.save(SimpleUploadedFile("private.pdf", b"secret"), case=other)

    claim = signed_in_api({"photo": {"attachment": theirs.attachment_id, "name": "private.pdf"}})
    assert claim.status_code == 422
    assert Case.objects.count() == 1

    # A reference as text is kept as text: it never becomes a link to someone's file.
    text = signed_in_api({"photo": str(theirs.attachment_id)})
    assert text.status_code == 201
    case = Case.objects.get(pk=id_from_ref(text.json()["ref"]))
    assert case.details == {"photo": str(theirs.attachment_id)}
    assert Attachment.objects.get().case == other


@pytest.fixture
def signed_in_api(cast):
    _, secret = create_token(cast.fran, name="tests")
    client = Client()

    def post_case(details: dict):
        body = {
            "customer": {"name": "Carla Mendes", "email": "carla@example.com"},
            "category": "damage",
            "subject": "Broken on arrival",
            "details": details,
        }
        return client.post(
            "/api/v1/cases",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )

    return post_case


def test_an_upload_is_private_to_relaydesk_whatever_the_umask(damage, settings):
    """Started directly (gunicorn, not `relaydesk`), a server keeps the login's umask (022):
    a customer's file is still 0600 in a 0700 folder."""
    previous = os.umask(0o022)
    try:
        with UploadBatch() as batch, transaction.atomic():
            batch.save(SimpleUploadedFile("passport.jpg", b"\xff\xd8 a scan"))
    finally:
        os.umask(previous)

    [stored] = files_on_disk(settings)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
