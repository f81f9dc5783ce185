"""Never a loop, never an answer to a machine, never a duplicate, never a silent drop."""

import email
from email.message import EmailMessage
from email.policy import default
from email.utils import make_msgid

import pytest
from aiosmtpd.controller import Controller

from relaydesk.cases.models import Case, EventKind
from relaydesk.intake.mail.smtp import free_port
from relaydesk.intake.models import Quarantine, RawMessage
from relaydesk.outbox.models import OutgoingMail
from relaydesk.outbox.sending import handle_one_send_batch
from tests.mail.conftest import SUPPORT, mail, send

CUSTOMER = "carla@peer.example"


class AutoResponder:
    """A second mail server that answers every message it gets, like an out-of-office."""

    def __init__(self, style: str):
        self.style = style
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(email.message_from_bytes(envelope.original_content, policy=default))
        return "250 OK"

    def answer(self, original: EmailMessage) -> EmailMessage:
        reply = EmailMessage()
        reply["From"] = f"Carla <{CUSTOMER}>"
        reply["To"] = original["Reply-To"] or original["From"]
        reply["Message-ID"] = make_msgid(domain="peer.example")
        if self.style == "auto-submitted":
            reply["Subject"] = f"Auto: {original['Subject']}"
            reply["In-Reply-To"] = original["Message-ID"]
            reply["Auto-Submitted"] = "auto-replied"
        else:  # an old responder: no threading, no Auto-Submitted, only X-Autoreply
            reply["Subject"] = "Out of office"
            reply["X-Autoreply"] = "yes"
        reply.set_content("I am away until Monday.")
        return reply


@pytest.fixture
def peer(request):
    responder = AutoResponder(request.param)
    controller = Controller(responder, hostname="127.0.0.1", port=free_port())
    controller.start()
    responder.port = controller.port
    yield responder
    controller.stop()


@pytest.fixture
def smtp_out(settings, peer):
    """Outgoing mail really leaves over SMTP, to the peer."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = peer.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False


def deliver_and_answer(peer, mailin) -> int:
    """The worker sends what is queued; the peer answers each message. Returns how many."""
    before = len(peer.received)
    while handle_one_send_batch():
        pass
    new = peer.received[before:]
    for original in new:
        recipient = original["Reply-To"] or original["From"]
        send(
            mailin,
            peer.answer(original),
            sender=CUSTOMER,
            to=[str(recipient).split("<")[-1].rstrip(">")],
        )
    return len(new)


@pytest.mark.parametrize("peer", ["auto-submitted", "x-autoreply"], indirect=True)
def test_an_auto_responder_gets_one_acknowledgement_and_the_exchange_stops(mailin, peer, smtp_out):
    send(mailin, mail(sender=f"Carla <{CUSTOMER}>"), sender=CUSTOMER)

    first_round = deliver_and_answer(peer, mailin)
    second_round = deliver_and_answer(peer, mailin)

    assert first_round >= 1
    assert second_round == 0
    to_customer = [m for m in peer.received if CUSTOMER in str(m["To"])]
    assert len(to_customer) == 1
    assert to_customer[0]["Auto-Submitted"] == "auto-replied"
    assert Case.objects.count() == 1


@pytest.mark.parametrize("peer", ["auto-submitted"], indirect=True)
def test_an_automatic_reply_is_recorded_on_the_case_but_wakes_nobody(mailin, peer, smtp_out):
    send(mailin, mail(sender=f"Carla <{CUSTOMER}>"), sender=CUSTOMER)
    case = Case.objects.get()
    deliver_and_answer(peer, mailin)

    automatic = case.events.filter(kind=EventKind.CUSTOMER_WROTE, data__automatic=True)
    assert automatic.count() >= 1
    case.refresh_from_db()
    assert case.next_tickle_at > case.last_activity_at


@pytest.mark.parametrize(
    "header",
    [
        ("Auto-Submitted", "auto-generated"),
        ("Precedence", "bulk"),
        ("Precedence", "junk"),
        ("X-Autoreply", "yes"),
        ("List-Id", "<news.shop.example>"),
        ("List-Unsubscribe", "<mailto:leave@shop.example>"),
    ],
)
def test_automatic_mail_is_not_acknowledged_and_opens_nothing(mailin, header):
    send(mailin, mail(**{header[0].replace("-", "_"): header[1]}))

    assert not Case.objects.exists()
    assert not OutgoingMail.objects.exists()
    entry = Quarantine.objects.get()
    assert "automatic" in entry.reason


def test_auto_submitted_no_is_a_person(mailin):
    send(mailin, mail(Auto_Submitted="no"))
    assert OutgoingMail.objects.filter(event__kind=EventKind.ACKNOWLEDGED).count() == 1


def test_x_auto_response_suppress_opens_a_case_without_an_acknowledgement(mailin):
    send(mailin, mail(X_Auto_Response_Suppress="All"))

    case = Case.objects.get()
    assert not OutgoingMail.objects.filter(event__kind=EventKind.ACKNOWLEDGED).exists()
    warning = case.events.get(kind=EventKind.WARNING)
    assert "No acknowledgement was sent" in warning.body


def test_at_most_three_acknowledgements_per_sender_per_hour(mailin):
    for number in range(5):
        send(mailin, mail(subject=f"Problem number {number}", body=f"Body {number}"))

    assert Case.objects.count() == 5
    acks = OutgoingMail.objects.filter(event__kind=EventKind.ACKNOWLEDGED)
    assert acks.count() == 3


def test_our_own_message_coming_back_is_quarantined_not_answered(mailin):
    send(mailin, mail())
    ack = OutgoingMail.objects.get(event__kind=EventKind.ACKNOWLEDGED)
    looped = mail(sender=SUPPORT, subject=ack.subject, Message_ID=ack.message_id)

    send(mailin, looped)

    assert Case.objects.count() == 1
    assert "our own message" in Quarantine.objects.get().reason
    assert OutgoingMail.objects.filter(event__kind=EventKind.ACKNOWLEDGED).count() == 1


def dsn_about(message_id: str, recipient: str) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.peer.example>\r\n"
        f"To: {SUPPORT}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='mx.peer.example')}\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain\r\n\r\nI could not deliver your message.\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.peer.example\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 No such user\r\n"
        "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: {SUPPORT}\r\nTo: {recipient}\r\nMessage-ID: {message_id}\r\n"
        "Subject: [RD-1001] We have your case\r\n--b1--\r\n"
    ).encode()


def test_a_bounce_of_our_acknowledgement_is_recorded_on_its_case_and_answered_by_nobody(mailin):
    send(mailin, mail())
    case = Case.objects.get()
    ack = OutgoingMail.objects.get(event__kind=EventKind.ACKNOWLEDGED)
    outgoing_before = OutgoingMail.objects.filter(to="carla@example.com").count()

    send(mailin, dsn_about(ack.message_id, "carla@example.com"), sender="")

    assert Case.objects.count() == 1
    bounced = case.events.get(kind=EventKind.BOUNCED)
    assert bounced.data["status"] == "5.1.1"
    assert "No such user" in bounced.data["diagnostic"]
    assert bounced.data["message_id"] == ack.message_id
    assert OutgoingMail.objects.filter(to="carla@example.com").count() == outgoing_before
    assert RawMessage.objects.order_by("-id").first().outcome == "bounce"


def test_a_bounce_about_mail_we_did_not_send_is_quarantined(mailin):
    send(mailin, dsn_about("<someone.else@example.org>", "x@example.org"), sender="")

    assert not Case.objects.exists()
    assert "did not send" in Quarantine.objects.get().reason
    assert not OutgoingMail.objects.exists()
