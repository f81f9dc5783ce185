"""Mail tests talk real SMTP to `relaydesk mailin`'s server on a free loopback port.

The server processes mail on its own thread (its own database connection), so these tests
use committed transactions (`transactional_db`), as production does.
"""

import json
import os
import re
import shutil
import smtplib
import subprocess
import sys
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

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


PROJECT = Path(__file__).resolve().parents[2]


class App:
    """Runs tests.mail.app (or the relaydesk command) in its own process on its own database."""

    def __init__(self, home: Path):
        self.home = home
        self.env = {
            **os.environ,
            "RELAYDESK_HOME": str(home),
            "RELAYDESK_SECRET_KEY": "subprocess-test-key",
            "DJANGO_SETTINGS_MODULE": "relaydesk.settings",
            "PYTHONPATH": str(PROJECT),
        }
        self.env.pop("RELAYDESK_DATABASE_URL", None)
        self.env.pop("RELAYDESK_TEST_DATABASE_URL", None)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tests.mail.app", *args],
            cwd=PROJECT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=check,
        )

    def relaydesk(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "relaydesk.cli", *args],
            cwd=PROJECT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    def counts(self) -> dict:
        return json.loads(self.run("counts").stdout)


@pytest.fixture(scope="session")
def migrated_home(tmp_path_factory) -> Path:
    """One migrated and seeded SQLite database, copied for each test that needs a process."""
    home = tmp_path_factory.mktemp("relaydesk-home")
    app = App(home)
    app.relaydesk("manage", "migrate", "--verbosity", "0")
    app.run("seed")
    return home


@pytest.fixture
def app(migrated_home, tmp_path) -> App:
    home = tmp_path / "home"
    shutil.copytree(migrated_home, home)
    return App(home)
