"""Real SMTP (aiosmtpd on loopback): failures are retried with back-off; each mail arrives once."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from relaydesk.outbox import sending
from relaydesk.outbox.models import OutgoingMail
from relaydesk.outbox.queue import queue_mail
from relaydesk.outbox.sending import handle_one_send_batch, retry_delay
from tests.outbox.smtp_server import free_port

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return time_machine


def send_everything_due() -> None:
    while handle_one_send_batch():
        pass


def statuses() -> dict[str, int]:
    result: dict[str, int] = {}
    for status in OutgoingMail.objects.values_list("status", flat=True):
        result[status] = result.get(status, 0) + 1
    return result


def test_mail_is_delivered_over_smtp_with_its_headers(db, noon, smtp_server):
    queued = queue_mail(to="ed@acme.example", subject="[RD-1001] yours", body="x", automatic=True)
    send_everything_due()
    [message] = smtp_server.recorder.messages
    assert message["Message-ID"] == queued.message_id
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["To"] == "ed@acme.example"


def test_a_failing_server_gets_the_mail_once_after_it_recovers(db, noon, smtp_server):
    queued = [queue_mail(to=f"p{n}@acme.example", subject=f"n{n}", body="x") for n in range(30)]
    smtp_server.recorder.failing = True
    send_everything_due()
    assert statuses() == {"queued": 30}
    mail = OutgoingMail.objects.get(pk=queued[0].pk)
    assert mail.attempts == 1
    assert mail.next_attempt_at == NOON + timedelta(seconds=30)
    assert "451" in mail.last_error

    noon.shift(timedelta(seconds=30))  # second attempt, still failing: back-off doubles
    send_everything_due()
    mail.refresh_from_db()
    assert mail.attempts == 2
    assert mail.next_attempt_at == NOON + timedelta(seconds=30 + 60)

    smtp_server.recorder.failing = False
    noon.shift(timedelta(seconds=59))
    send_everything_due()
    assert smtp_server.recorder.messages == []  # not due yet
    noon.shift(timedelta(seconds=1))
    send_everything_due()
    assert statuses() == {"sent": 30}
    ids = smtp_server.recorder.message_ids()
    assert sorted(ids) == sorted(m.message_id for m in queued)  # each one, once
    assert smtp_server.recorder.refused == 60


def test_a_server_that_is_down_counts_as_a_temporary_failure(db, noon, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 2
    queued = queue_mail(to="x@acme.example", subject="x", body="x")
    send_everything_due()
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.QUEUED
    assert "Connection refused" in queued.last_error or "ConnectionRefused" in queued.last_error


def test_once_the_retry_window_has_passed_the_mail_is_marked_failed(
    db, noon, smtp_server, settings
):
    settings.MAIL_RETRY_FOR = timedelta(hours=1)
    queued = queue_mail(to="x@acme.example", subject="x", body="x")
    smtp_server.recorder.failing = True
    while queued.status == OutgoingMail.Status.QUEUED:
        noon.move_to(queued.next_attempt_at)
        send_everything_due()
        queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.FAILED
    assert timezone.now() == NOON + timedelta(hours=1)  # the last attempt: the window's end
    smtp_server.recorder.failing = False
    noon.shift(timedelta(days=1))
    assert handle_one_send_batch() is False
    assert smtp_server.recorder.messages == []


def test_a_permanent_refusal_fails_at_once(db, noon, smtp_server):
    queued = queue_mail(to="x@acme.example", subject="x", body="x")
    smtp_server.recorder.failing = True
    smtp_server.recorder.fail_with = "554 5.7.1 Rejected"
    send_everything_due()
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.FAILED
    assert "554" in queued.last_error


def test_back_off_doubles_and_is_capped():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(30) == timedelta(hours=2)


def test_a_claimed_mail_is_left_alone_by_other_workers_until_its_lease_ends(db, noon):
    queue_mail(to="x@acme.example", subject="x", body="x")
    [claimed] = sending.claim(10)  # a worker that then died before sending
    assert sending.claim(10) == []
    noon.shift(sending.lease())
    [again] = sending.claim(10)
    assert again.pk == claimed.pk
    assert again.attempts == 2
