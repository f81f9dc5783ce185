"""The outbox: queued mail is sent by the worker, with its headers, once."""

from datetime import UTC, datetime

import pytest
from django.core import mail

from relaydesk.outbox.models import OutgoingMail
from relaydesk.outbox.queue import queue_mail
from relaydesk.outbox.sending import handle_one_send_batch

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return time_machine


def test_a_queued_mail_is_sent_with_its_own_message_id(db, noon):
    queued = queue_mail(to="sam@acme.example", subject="[RD-1001] yours", body="Hello")
    assert handle_one_send_batch() is True
    [sent] = mail.outbox
    assert sent.to == ["sam@acme.example"]
    message = sent.message()
    assert message["Message-ID"] == queued.message_id
    assert message["Subject"] == "[RD-1001] yours"
    assert message["Auto-Submitted"] is None
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT
    assert queued.sent_at == NOON
    assert queued.attempts == 1


def test_a_sent_mail_is_never_sent_again(db, noon):
    queue_mail(to="sam@acme.example", subject="Once", body="Only once")
    assert handle_one_send_batch() is True
    noon.shift(3600)
    assert handle_one_send_batch() is False
    assert len(mail.outbox) == 1


def test_threading_headers_are_carried_when_present(db, noon):
    queue_mail(
        to="carla@example.com",
        subject="Re: my ticket",
        body="We are on it",
        headers={
            "In-Reply-To": "<abc@customer.example>",
            "References": "<root@customer.example> <abc@customer.example>",
            "Reply-To": "case+RD-1001@relaydesk.localhost",
        },
    )
    handle_one_send_batch()
    message = mail.outbox[0].message()
    assert message["In-Reply-To"] == "<abc@customer.example>"
    assert message["References"] == "<root@customer.example> <abc@customer.example>"
    assert message["Reply-To"] == "case+RD-1001@relaydesk.localhost"


def test_automatic_mail_says_so_and_an_auto_reply_keeps_its_own_kind(db, noon):
    queue_mail(to="a@example.com", subject="Reminder", body="x", automatic=True)
    queue_mail(
        to="b@example.com",
        subject="We got it",
        body="y",
        automatic=True,
        headers={"Auto-Submitted": "auto-replied"},
    )
    handle_one_send_batch()
    kinds = {m.to[0]: m.message()["Auto-Submitted"] for m in mail.outbox}
    assert kinds == {"a@example.com": "auto-generated", "b@example.com": "auto-replied"}


def test_mail_queued_for_later_waits_for_its_time(db, noon):
    queued = queue_mail(to="x@example.com", subject="Later", body="x")
    OutgoingMail.objects.filter(pk=queued.pk).update(next_attempt_at=NOON.replace(hour=13))
    assert handle_one_send_batch() is False
    noon.move_to(NOON.replace(hour=13), tick=False)
    assert handle_one_send_batch() is True


def test_a_send_batch_costs_a_fixed_number_of_queries(db, noon, django_assert_max_num_queries):
    for n in range(20):
        queue_mail(to=f"p{n}@example.com", subject="Hi", body="x")
    # the From (one query), claim (select + one update) and one update per mail marking it sent
    with django_assert_max_num_queries(2 + 20 + 4):
        handle_one_send_batch()
    assert len(mail.outbox) == 20
