"""Files sent with a mail: read from MEDIA_ROOT when the worker sends it."""

from django.core import mail

from relaydesk.outbox.models import OutgoingMail
from relaydesk.outbox.queue import queue_mail
from relaydesk.outbox.sending import handle_one_send_batch


def test_a_queued_file_goes_with_the_mail(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "attachments").mkdir()
    (tmp_path / "attachments" / "u1234").write_bytes(b"timetable")
    file = {"path": "attachments/u1234", "name": "timetable.txt", "content_type": "text/plain"}
    queue_mail(to="carla@example.com", subject="Your timetable", body="Here.", attachments=[file])

    handle_one_send_batch()

    [sent] = mail.outbox
    assert sent.attachments == [("timetable.txt", "timetable", "text/plain")]


def test_a_file_outside_media_root_is_never_read(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "secret").write_bytes(b"secret")
    file = {"path": "../secret", "name": "secret", "content_type": "text/plain"}
    queued = queue_mail(to="carla@example.com", subject="x", body="x", attachments=[file])

    handle_one_send_batch()

    assert mail.outbox == []
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.QUEUED  # retried later, then given up
    assert "must be kept under MEDIA_ROOT" in queued.last_error
