"""Mail tests talk real SMTP to `relaydesk mailin`'s server on a free loopback port.

The server processes mail on its own thread (its own database connection), so these tests
use committed transactions (`transactional_db`), as production does.
"""

import re
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from relaydesk.intake.mail.smtp import make_controller
from tests import factories

DOMAIN = "relaydesk.localhost"  # the domain of DEFAULT_FROM_EMAIL in the test settings
SUPPORT = f"support@{DOMAIN}"


@pytest.fixture
def mail_cast(transactional_db, cast):
    return cast


@pytest.fixture
def mailin(mail_cast):
    controller = make_controller("127.0.0.1", 0)
    controller.start()
    yield controller
    controller.stop()


def send(controller, message, *, sender: str = "", to: list[str] | None = None) -> dict:
    """Speak SMTP to the server, as a customer's mail server would."""
    with smtplib.SMTP(controller.hostname, controller.port, timeout=30) as client:
        if isinstance(message, bytes):
            # Files on disk end lines with LF; on the wire SMTP lines end with CRLF, which any
            # real client (and smtplib for str messages) makes sure of.
            message = re.sub(rb"\r\n|\r|\n", b"\r\n", message)
        if isinstance(message, bytes | str):
            return client.sendmail(sender or "someone@example.com", to or [SUPPORT], message)
        return client.send_message(message, from_addr=sender or None, to_addrs=to or [SUPPORT])


def mail(
    *,
    sender="Carla Mendes <carla@example.com>",
    to=SUPPORT,
    subject="Charged twice for my season ticket",
    body="Hello, I was charged twice on 3 November. Carla",
    **headers,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    if "Message_ID" not in headers:
        message["Message-ID"] = make_msgid(domain="example.com")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


@pytest.fixture
def customer(mail_cast):
    return factories.make_customer()
