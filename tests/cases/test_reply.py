"""reply: domain rule 10, staff write to the customer; the reply is an event and a threaded mail."""

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.mail_threads import reply_address
from relaydesk.cases.models import Attachment, EventKind
from relaydesk.clock.worker import run_due_work
from relaydesk.outbox.models import OutgoingMail
from tests.cases.written import deactivated, nothing_written
from tests.factories import make_case, make_customer

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
STATUS_LINK = re.compile(re.escape(settings.BASE_URL) + r"/status/[A-Za-z0-9_-]{22,}")


def sent_to(address: str) -> list:
    """The mail the worker's outbox step handed to the (locmem) mail backend for `address`."""
    run_due_work()
    return [message for message in mail.outbox if message.to == [address]]


def test_the_reply_is_mailed_to_the_customer_threaded_under_the_acknowledgement(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    acknowledgement = OutgoingMail.objects.get(case=case)

    event = actions.reply(case, acting=cast.fran, body="We refunded the second charge.")

    [acknowledged, replied] = sent_to("carla@example.com")
    message = replied.message()
    assert message["Subject"] == f"[{case.ref}] Charged twice for my season ticket"
    assert message["Reply-To"] == reply_address(case)
    assert message["In-Reply-To"] == acknowledgement.message_id
    assert acknowledgement.message_id in message["References"].split()
    assert message["Message-ID"] == event.data["message_id"]
    assert not message.is_multipart()  # plain text, no HTML part
    assert message.get_content_type() == "text/plain"
    assert replied.body.startswith("We refunded the second charge.\n")
    assert STATUS_LINK.search(replied.body)
    assert f"keep {case.ref} in the subject" in replied.body
    assert acknowledged.message()["Message-ID"] == acknowledgement.message_id


def test_the_reply_event_keeps_the_words_and_the_mail_but_not_the_link(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    event = actions.reply(case, acting=cast.fran, body="  We refunded it.  ", send_anyway=True)

    queued = OutgoingMail.objects.get(event=event)
    assert (event.kind, event.actor, event.body) == (
        EventKind.REPLIED,
        cast.fran,
        "We refunded it.",
    )
    assert event.data == {
        "to": "carla@example.com",
        "subject": f"[{case.ref}] Charged twice for my season ticket",
        "message_id": queued.message_id,
        "send_anyway": True,
        "waiting": False,
        "attachments": [],
    }
    assert "/status/" not in event.body
    assert queued.to == "carla@example.com"
    assert queued.automatic is False  # written by a person: no Auto-Submitted


def test_the_owners_reply_restarts_the_idle_clock(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=cast.billing, acting=cast.fran)
    later = MONDAY_NINE + timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        actions.reply(case, acting=cast.fran, body="Looking into it now.")

    case.refresh_from_db()
    assert (case.last_activity_at, case.owner_active_at) == (later, later)
    assert case.next_tickle_at == later + timedelta(hours=4)
    assert case.tickle_count == 0


def test_a_colleagues_reply_does_not_count_as_the_owners_activity(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=cast.billing, acting=cast.fran)
    later = MONDAY_NINE + timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        event = actions.reply(case, acting=cast.mia, body="I am Fran's manager; it is in hand.")

    case.refresh_from_db()
    assert event.actor == cast.mia
    assert case.last_activity_at == later
    assert case.owner_active_at == MONDAY_NINE
    assert case.next_tickle_at == MONDAY_NINE + timedelta(hours=4)
    assert case.owner == cast.fran


def test_a_solved_case_can_still_be_answered_and_stays_solved(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    case = actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")

    actions.reply(case, acting=cast.fran, body="The refund shows on your statement tomorrow.")

    case.refresh_from_db()
    assert (case.status, case.next_tickle_at) == ("solved", None)


def test_a_staff_file_is_kept_on_the_case_and_arrives_with_the_mail(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make_case(category=cast.billing, acting=cast.fran)
    receipt = SimpleUploadedFile("refund receipt.pdf", b"%PDF-1.4 refund", "application/pdf")

    event = actions.reply(case, acting=cast.fran, body="The receipt is attached.", files=[receipt])

    [kept] = Attachment.objects.filter(case=case)
    assert (kept.original_name, kept.content_type, kept.size) == (
        "refund receipt.pdf",
        "application/pdf",
        15,
    )
    assert event.data["attachments"] == [{"id": kept.pk, "name": "refund receipt.pdf"}]
    [_, replied] = sent_to("carla@example.com")
    assert replied.attachments == [("refund receipt.pdf", b"%PDF-1.4 refund", "application/pdf")]
    parsed = message_from_bytes(replied.message().as_bytes())
    [part] = [p for p in parsed.walk() if p.get_filename()]
    assert part.get_payload(decode=True) == b"%PDF-1.4 refund"


def test_no_header_injection_through_the_subject(cast):
    case = make_case(
        category=cast.billing, acting=cast.fran, subject="Refund\r\nBcc: thief@example.org\nX: y"
    )

    event = actions.reply(case, acting=cast.fran, body="Done.")

    assert event.data["subject"] == f"[{case.ref}] Refund Bcc: thief@example.org X: y"
    [_, replied] = sent_to("carla@example.com")
    message = replied.message()
    assert message["Bcc"] is None and message["X"] is None
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert replied.recipients() == ["carla@example.com"]


# Refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "   ", None])
def test_an_empty_reply_is_refused(cast, body):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.reply(case, acting=cast.fran, body=body)

    assert refused.value.message == "Write the reply."


def test_a_reply_over_the_limit_is_refused(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.reply(case, acting=cast.fran, body="x" * 20_001)

    assert refused.value.message == "Keep the reply under 20000 characters."


def test_a_closed_case_must_be_reopened_before_replying(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    case = actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")
    case = actions.close(case, acting=None)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.reply(case, acting=cast.fran, body="One more thing.")

    assert (
        refused.value.message == f"{case.ref} is closed; reopen it first to write to the customer."
    )
    assert refused.value.http_status == 409


def test_a_customer_without_an_email_address_is_called_instead(cast):
    phoner = make_customer(name="Piet Bel", email="", phone="+31 20 555 0437")
    case = make_case(category=cast.billing, acting=cast.fran, customer=phoner)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.reply(case, acting=cast.fran, body="We refunded it.")

    assert refused.value.message == "Piet Bel has no email address; call them instead."


def test_inactive_staff_cannot_reply(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    fran = deactivated(cast.fran)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.reply(case, acting=fran, body="Still here?")

    assert refused.value.message == "Fran Okafor is not active staff, so cannot act on cases."


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAIL_MAX_ATTACHMENT_BYTES = 10
    case = make_case(category=cast.billing, acting=cast.fran)
    big = SimpleUploadedFile("scan.png", b"x" * 11, "image/png")

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.reply(case, acting=cast.fran, body="See the scan.", files=[big])

    assert refused.value.message == (
        "Some files cannot be sent: scan.png: This file is too large: files are limited to "
        "10 bytes."
    )
    assert not Attachment.objects.exists()
    assert not list(Path(tmp_path).rglob("u*"))


def test_a_refused_reply_with_a_file_keeps_no_file(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make_case(category=cast.billing, acting=cast.fran)
    case = actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")
    case = actions.close(case, acting=None)
    photo = SimpleUploadedFile("photo.jpg", b"jpeg", "image/jpeg")

    with nothing_written(case), pytest.raises(DomainError):
        actions.reply(case, acting=cast.fran, body="Photo attached.", files=[photo])

    assert not Attachment.objects.exists()
    assert not list(Path(tmp_path).rglob("u*"))
