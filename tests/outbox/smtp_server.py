"""A real SMTP server on loopback (aiosmtpd) that can be told to fail, for outbox tests."""

import email
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """Keeps every accepted message; `failing` makes it answer DATA with `fail_with`."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refused = 0
        self.failing = False
        self.fail_with = "451 4.3.0 Try again later"
        self.refuse_recipients_with = ""  # e.g. "550 5.1.1 No such user" at RCPT
        self.unknown: set[str] = set()  # addresses answered "550 5.1.1 No such user here"
        self.password = ""  # set: the server asks for a login and takes only this password
        self.logins: list[bool] = []  # each login tried, and whether it was accepted
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipients_with:
            return self.refuse_recipients_with
        if address in self.unknown:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        accepted = isinstance(auth_data, LoginPassword) and auth_data.password == (
            self.password.encode()
        )
        with self._lock:
            self.logins.append(accepted)
        return AuthResult(success=accepted, handled=False)  # aiosmtpd answers 535 itself

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.failing:
                self.refused += 1
                return self.fail_with
            self.messages.append(
                email.message_from_bytes(envelope.original_content, policy=policy.default)
            )
        return "250 2.0.0 Accepted"

    def message_ids(self) -> list[str]:
        with self._lock:
            return [message["Message-ID"] for message in self.messages]


class SmtpServer:
    """`password`: the server requires a login (AUTH PLAIN/LOGIN without TLS, on loopback) and
    answers a wrong password with 535, as a provider does."""

    def __init__(self, password: str = ""):
        self.recorder = Recorder()
        self.recorder.password = password
        self.port = free_port()
        login = {"authenticator": self.recorder.authenticate, "auth_require_tls": False}
        self.controller = Controller(
            self.recorder,
            hostname="127.0.0.1",
            port=self.port,
            **({**login, "auth_required": True} if password else {}),
        )

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.controller.stop()
