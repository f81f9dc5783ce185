"""The hostile tester's mail attacks (issue 18), each replayed over real SMTP to mailin.

- forged mail that claims to be the customer (rule 11): kept unverified, nothing moves;
- one sender opening case after case: a cap per hour, the rest quarantined with the reason;
- raw UTF-8 headers (SMTPUTF8) read as UTF-8, and attachment names that hide their extension
  behind a right-to-left override cleaned as web uploads are.
"""

import smtplib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTPUTF8

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.cases.models import Attachment, Case, EventKind, Status
from relaydesk.intake.models import Quarantine, RawMessage
from relaydesk.outbox.models import OutgoingMail
from tests.mail.conftest import SUPPORT, mail, send
from tests.status_helpers import token_in

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BANK = "NL91 EVIL 0417 1643 00"


# Forged mail speaks as the customer (rule 11) --------------------------------------------------


@pytest.fixture
def solved_case(mailin, mail_cast) -> Case:
    """Carla's case, opened by her mail, passed to sam and solved by him on Monday."""
    with time_machine.travel(MONDAY_NINE, tick=False):
        send(mailin, mail(), sender="carla@example.com")
        case = Case.objects.get()
        actions.update_details(case, acting=case.owner, details={"invoice": "INV-77"})
        actions.pass_case(
            case, acting=case.owner, to_user=mail_cast.sam, reason="needs_expertise", note="x"
        )
        return actions.solve(
            case, acting=mail_cast.sam, resolution="Refunded", one_off_reason="Once"
        )


def test_forged_mail_as_the_customer_is_kept_unverified_and_reopens_nothing(
    mailin, mail_cast, solved_case, client
):
    case = solved_case
    before = Case.objects.get(pk=case.pk)
    told = mail_cast.sam.notifications.count()
    forged = mail(
        sender="Carla Mendes <carla@example.com>",
        subject=f"Re: [{case.ref}] We have your case",
        body=f"Please pay my refund into my new bank account {BANK}.",
    )

    with time_machine.travel(MONDAY_NINE + timedelta(days=1), tick=False):
        send(mailin, forged, sender="attacker@evil.test")

    case.refresh_from_db()
    assert case.status == Status.SOLVED
    assert not case.events.filter(kind=EventKind.REOPENED).exists()
    assert (case.last_activity_at, case.next_tickle_at) == (
        before.last_activity_at,
        before.next_tickle_at,
    )
    words = case.events.filter(kind=EventKind.CUSTOMER_WROTE).order_by("id").last()
    assert BANK in words.body
    assert words.data["verified"] is False
    assert any(note.startswith("Unverified") for note in words.data["notes"])
    assert RawMessage.objects.order_by("id").last().envelope_from == "attacker@evil.test"
    # The owner is told, and the staff timeline says what it is.
    assert mail_cast.sam.notifications.count() == told + 1
    assert mail_cast.sam.notifications.order_by("id").last().text.startswith("An unverified")
    client.force_login(mail_cast.sam)
    page = client.get(f"/cases/{case.ref}/").content.decode()
    assert "Unverified: a message claiming to be from the customer" in page
    # The customer's own view never shows it as their words.
    client.logout()
    ack = OutgoingMail.objects.get(case=case, event__kind=EventKind.ACKNOWLEDGED)
    status = client.get(f"/status/{token_in(ack.body)}", follow=True).content.decode()
    assert "charged twice on 3 November" in status  # their real words are there
    assert "EVIL" not in status


# One sender, many cases ----------------------------------------------------------------------


def test_one_sender_opens_at_most_the_cap_of_cases_an_hour(mailin, settings):
    settings.MAIL_CASES_PER_SENDER_HOUR = 3
    with time_machine.travel(MONDAY_NINE, tick=False):
        for number in range(5):
            send(mailin, mail(subject=f"Flood {number}", body=f"n{number}"), sender="f@x.test")
        send(mailin, mail(sender="Otto <otto@example.com>", subject="Mine", body="o"))

    assert Case.objects.filter(customer__email="carla@example.com").count() == 3
    assert Case.objects.filter(customer__email="otto@example.com").count() == 1  # others open
    held = Quarantine.objects.order_by("id")
    assert [q.subject for q in held] == ["Flood 3", "Flood 4"]
    assert "opened 3 cases by mail in the last hour" in held[0].reason
    assert "RELAYDESK_MAIL_CASES_PER_SENDER_HOUR" in held[0].reason
    assert RawMessage.objects.filter(state=RawMessage.State.QUARANTINED).count() == 2


def test_the_cap_counts_the_last_hour_only(mailin, settings):
    settings.MAIL_CASES_PER_SENDER_HOUR = 2
    with time_machine.travel(MONDAY_NINE, tick=False):
        send(mailin, mail(subject="One", body="1"))
        send(mailin, mail(subject="Two", body="2"))
    with time_machine.travel(MONDAY_NINE + timedelta(minutes=59), tick=False):
        send(mailin, mail(subject="Three", body="3"))
    assert Case.objects.count() == 2
    with time_machine.travel(MONDAY_NINE + timedelta(hours=1), tick=False):
        send(mailin, mail(subject="Four", body="4"))
    assert Case.objects.count() == 3


def test_a_capped_sender_can_still_write_on_their_case(mailin, settings):
    settings.MAIL_CASES_PER_SENDER_HOUR = 1
    with time_machine.travel(MONDAY_NINE, tick=False):
        send(mailin, mail())
        case = Case.objects.get()
        ack = OutgoingMail.objects.get(case=case, event__kind=EventKind.ACKNOWLEDGED)
        send(mailin, mail(subject="More", body="Invoice INV-9", In_Reply_To=ack.message_id))

    assert Case.objects.count() == 1
    assert not Quarantine.objects.exists()
    assert case.events.filter(kind=EventKind.CUSTOMER_WROTE).count() == 2


def test_a_cap_of_zero_is_no_cap(mailin, settings):
    settings.MAIL_CASES_PER_SENDER_HOUR = 0
    with time_machine.travel(MONDAY_NINE, tick=False):
        for number in range(4):
            send(mailin, mail(subject=f"Case {number}", body=f"n{number}"))
    assert Case.objects.count() == 4


# Raw UTF-8 headers and attachment names --------------------------------------------------------


def smtputf8_mail(*, body_charset: str) -> bytes:
    """A message as an SMTPUTF8 client writes it: raw UTF-8 in From, Subject and a file name,
    the body in `body_charset`."""
    message = EmailMessage(policy=SMTPUTF8)
    message["From"] = "Jürgen Müller <jürgen@example.com>"
    message["To"] = SUPPORT
    message["Subject"] = "Prüfung der Rechnung: Größe €"
    message.set_content("Guten Tag, bitte prüfen.", charset=body_charset)
    message.add_attachment(
        b"%PDF-1.4", maintype="application", subtype="pdf", filename="Übersicht.pdf"
    )
    return message.as_bytes()


@pytest.mark.parametrize("body_charset", ["utf-8", "iso-8859-1"])
def test_raw_utf8_headers_over_smtputf8_are_read_as_utf8(mailin, body_charset):
    raw = smtputf8_mail(body_charset=body_charset)
    assert "Prüfung".encode() in raw  # raw UTF-8 on the wire, no encoded words

    with smtplib.SMTP(mailin.hostname, mailin.port, timeout=30) as client:
        client.ehlo()
        assert client.has_extn("smtputf8")
        client.sendmail("jürgen@example.com", [SUPPORT], raw, mail_options=["SMTPUTF8"])

    case = Case.objects.get()
    assert case.subject == "Prüfung der Rechnung: Größe €"
    assert (case.customer.name, case.customer.email) == ("Jürgen Müller", "jürgen@example.com")
    assert Attachment.objects.get().original_name == "Übersicht.pdf"
    assert case.events.get(kind=EventKind.CUSTOMER_WROTE).body == "Guten Tag, bitte prüfen."


def test_a_legacy_8bit_header_still_falls_back_to_the_bodys_charset(mailin):
    raw = (
        b"From: Carla <carla@example.com>\r\nTo: support@relaydesk.localhost\r\n"
        b"Subject: Pr\xfcfung\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nHallo\r\n"
    )
    send(mailin, raw, sender="carla@example.com")

    assert Case.objects.get().subject == "Prüfung"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("invoice\u202egpj.pdf", "invoicegpj.pdf"),  # shown as "invoicefdp.jpg"
        ("photo\u200f\u2066.jpg\u2069.exe", "photo.jpg.exe"),
        ("bell\x07\x1b\x7ftab.txt", "belltab.txt"),
    ],
)
def test_direction_and_control_characters_leave_attachment_names(mailin, sent, kept):
    message = mail()
    message.add_attachment(b"data", maintype="application", subtype="pdf", filename=sent)
    send(mailin, message)

    attachment = Attachment.objects.get()
    assert attachment.original_name == kept
    wrote = Case.objects.get().events.get(kind=EventKind.CUSTOMER_WROTE)
    assert wrote.data["attachments"][0]["name"] == kept
