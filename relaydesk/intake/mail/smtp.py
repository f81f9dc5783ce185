"""`relaydesk mailin`'s SMTP server: a thin transport in front of receive().

It refuses early, with the proper codes, what it will not take (552 too big, 550 not our
domain, 452 too many recipients), answers 451 (try again later) when the message could not
be stored, and 250 only once the raw message is committed. Processing runs on one worker
thread, so SQLite sees one writer and the event loop never blocks on the database; that
thread keeps its database connection from one message to the next and closes it when the
server stops.
"""

import asyncio
import logging
import socket
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, SMTP, Envelope, Session
from django.conf import settings
from django.db import connections

from relaydesk.intake.mail.receive import ready_connection, receive
from relaydesk.org.addresses import mail_domain
from relaydesk.org.models import Category

log = logging.getLogger("relaydesk.mail")

MAX_RECIPIENTS = 100
# RFC 5321 allows 1000 octets a line; real mail (and the corpus) breaks that. Accept long
# lines rather than bounce a customer's message; the size limit still bounds memory.
LINE_LENGTH_LIMIT = 1024 * 1024


def accepted_domains() -> set[str]:
    domains = {mail_domain().lower()}
    for address in Category.objects.exclude(mail_address="").values_list("mail_address", flat=True):
        domains.add(address.rpartition("@")[2].lower())
    return domains


class LenientSMTP(SMTP):
    """aiosmtpd's SMTP with long lines allowed and a DATA phase that keeps the message in one
    growing buffer (aiosmtpd keeps a list of one bytearray per line, then joins them: about
    three times the message in memory for a big attachment)."""

    line_length_limit = LINE_LENGTH_LIMIT

    async def smtp_DATA(self, arg: str) -> None:
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        envelope = self.envelope
        if envelope is None or not envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        content = bytearray()
        limit = self.data_size_limit
        refusal = ""
        while self.transport is not None:
            try:
                line = await self._reader.readuntil(b"\r\n")
            except asyncio.LimitOverrunError as error:
                refusal = refusal or "500 Line too long (see RFC5321 4.5.3.1.6)"
                await self._reader.read(error.consumed)
                continue
            except asyncio.CancelledError:
                self._writer.close()
                raise
            if refusal:
                if line == b".\r\n":
                    break
                continue
            if line == b".\r\n":
                break
            if limit and len(content) + len(line) > limit:
                refusal = "552 Error: Too much mail data"
                content = bytearray()
                continue
            # RFC 5321 4.5.2: a leading dot was doubled by the sender.
            content += memoryview(line)[1:] if line.startswith(b".") else line
        if refusal:
            await self.push(refusal)
            self._set_post_data_state()
            return
        envelope.content = envelope.original_content = content
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)


def _worker() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="mailin")


class IntakeHandler:
    def __init__(self, domains: set[str] | None = None):
        self.domains = domains if domains is not None else accepted_domains()
        self.executor = _worker()

    async def handle_RCPT(self, server, session: Session, envelope: Envelope, address, options):
        domain = address.rpartition("@")[2].lower()
        if domain not in self.domains:
            return "550 5.1.1 No such mailbox here"
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session: Session, envelope: Envelope):
        data = envelope.original_content or b""
        envelope.content = envelope.original_content = None  # one copy of a big message
        loop = asyncio.get_running_loop()
        try:
            received = await loop.run_in_executor(
                self.executor, self._receive, data, envelope.mail_from or "<>", envelope.rcpt_tos
            )
        except Exception:  # not stored: the sender must keep it and retry
            log.exception("could not store an inbound message")
            return "451 4.3.0 Could not store the message; please try again later"
        return f"250 2.0.0 Stored as message {received.raw_id}"

    @staticmethod
    def _receive(data: bytes, mail_from: str, rcpt_tos: list[str]):
        ready_connection()
        return receive(data, source="smtp", envelope_from=mail_from, envelope_to=rcpt_tos)

    def close(self) -> None:
        """Close the worker thread's database connection, then the thread (a new one starts
        if the server is started again)."""
        executor, self.executor = self.executor, _worker()
        executor.submit(connections.close_all).result()
        executor.shutdown(wait=True)


class IntakeController(Controller):
    def stop(self, *args, **kwargs) -> None:
        super().stop(*args, **kwargs)
        self.handler.close()

    def factory(self):
        return LenientSMTP(
            self.handler,
            data_size_limit=settings.MAIL_MAX_MESSAGE_BYTES,
            enable_SMTPUTF8=True,
            decode_data=False,
            hostname=settings.MAIL_DOMAIN,
            ident="Relaydesk mailin",
        )


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def make_controller(host: str, port: int, domains: set[str] | None = None) -> IntakeController:
    """The SMTP server, not yet started. Port 0 picks a free port (aiosmtpd's start-up check
    connects to the configured port, so the choice is made here)."""
    return IntakeController(IntakeHandler(domains), hostname=host, port=port or free_port(host))
