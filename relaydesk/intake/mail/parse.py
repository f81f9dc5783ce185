"""Raw bytes → a Parsed message. Never raises: broken mail still yields what can be read.

compat32 is used on purpose: the modern policy raises on some malformed headers when they
are read, and intake must never crash on what a stranger sends.
"""

import binascii
import email
import hashlib
import os
import re
import secrets
from dataclasses import dataclass, field
from email.header import Header
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import BinaryIO

from relaydesk.intake.mail import spool
from relaydesk.intake.mail.text import clean, decode_bytes, header_text, html_to_text

MAX_DEPTH = 12  # deeper nesting than this is an attack or a loop (flanker's enclosed-endless)
MESSAGE_ID_RE = re.compile(r"<[^<>\s]{1,500}>")
ADDRESS_RE = re.compile(r"^[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:]+$")


@dataclass
class Part:
    """One attachment. A big one is decoded straight to a spool file (`spooled`), not memory."""

    name: str
    content_type: str
    payload: bytes
    spooled: Path | None = None
    size: int = 0
    sha256: str = ""
    spool_lock: BinaryIO | None = None  # held while the spool file exists (mail/spool.py)

    def __post_init__(self):
        if self.spooled is None:
            self.size = len(self.payload)


@dataclass
class Bounce:
    """What a delivery status notification says about the message it concerns."""

    recipient: str = ""
    status: str = ""
    diagnostic: str = ""
    action: str = ""
    referenced_ids: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    message: Message
    message_id: str = ""
    sender: str = ""
    sender_name: str = ""
    recipients: list[str] = field(default_factory=list)
    subject: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    text: str = ""
    html_only: bool = False
    attachments: list[Part] = field(default_factory=list)
    bounce: Bounce | None = None
    problems: list[str] = field(default_factory=list)
    charset_hint: str | None = None

    def discard_spooled(self) -> None:
        """Remove spool files no attachment took (a refused or quarantined message), then
        let go of every spool file's lock."""
        for part in self.attachments:
            if part.spooled is not None:
                part.spooled.unlink(missing_ok=True)
            if part.spool_lock is not None:
                part.spool_lock.close()

    def header(self, name: str) -> str:
        try:
            return header_text(self.message.get(name), self.charset_hint)
        except Exception:  # noqa: BLE001 - a header that cannot be read counts as absent
            return ""

    def has_header(self, name: str) -> bool:
        return name in self.message

    @property
    def fingerprint(self) -> str:
        """Same sender, subject and words → the same fingerprint (duplicates within minutes)."""
        words = " ".join(self.text.split())
        subject = " ".join(self.subject.split()).lower()
        data = f"{self.sender}\n{subject}\n{words}".encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).hexdigest()


def message_ids(value: str) -> list[str]:
    return MESSAGE_ID_RE.findall(value or "")


def normalise_message_id(value: str) -> str:
    found = message_ids(value)
    if found:
        return found[0]
    value = "".join((value or "").split())
    return f"<{value[:500]}>" if value else ""


def valid_address(address: str) -> bool:
    return bool(ADDRESS_RE.match(address)) and len(address) <= 320


def split_headers(raw: bytes) -> tuple[bytes, bytes]:
    """(header block, body) split at the first blank line, line endings normalised."""
    data = raw.replace(b"\r\n", b"\n")
    head, sep, body = data.partition(b"\n\n")
    return (head, body) if sep else (data, b"")


HASH_CHUNK = 1024 * 1024


def _normalised_hash(data: memoryview) -> str:
    """sha256 of `data` with CRLF read as LF, a megabyte at a time (no copy of a big message)."""
    digest = hashlib.sha256()
    carry = b""
    for start in range(0, len(data), HASH_CHUNK):
        chunk = carry + bytes(data[start : start + HASH_CHUNK])
        carry = b""
        if chunk.endswith(b"\r"):
            chunk, carry = chunk[:-1], b"\r"
        digest.update(chunk.replace(b"\r\n", b"\n"))
    digest.update(carry)
    return digest.hexdigest()


def _body_start(raw: bytes) -> int:
    ends = [i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0]
    if not ends:
        return len(raw)
    end = min(ends)
    return end + (4 if raw.startswith(b"\r\n\r\n", end) else 2)


def message_key(raw: bytes, message_id: str) -> str:
    """The unique key of a stored message. The body hash tells apart different messages that
    (wrongly) share a Message-ID, while a redelivery (same Message-ID, same body, perhaps a
    new Received line) maps to the same key. Line endings do not count (SMTP vs IMAP)."""
    view = memoryview(raw)
    if message_id:
        body_hash = _normalised_hash(view[_body_start(raw) :])[:32]
        mid = message_id
        if len(mid) > 200:
            mid = hashlib.sha256(message_id.encode()).hexdigest()
        return f"{mid}|{body_hash}"
    return "sha256:" + _normalised_hash(view)


def read_message_id(raw: bytes) -> str:
    """The Message-ID header only, without parsing the whole message (used before storing)."""
    head, _ = split_headers(raw[: 256 * 1024])
    match = re.search(rb"(?im)^message-id:[ \t]*(.*(?:\n[ \t].*)*)", head)
    if not match:
        return ""
    return normalise_message_id(match.group(1).decode("latin-1"))


# Big base64 blocks (attachments) are lifted out of the message before the standard parser
# sees it: compat32 would hold each one several times over (as text, as a list of lines, as
# bytes), about 8× the message. The parser gets a placeholder line; the block is decoded
# straight from the raw bytes when its part is read.
HOIST_MIN_BYTES = 64 * 1024
HOIST_MIN_LINES = 800
SPOOL_MIN_BYTES = 1024 * 1024  # bigger lifted blocks are decoded to a file, not to memory


BASE64_LINE = re.compile(rb"[A-Za-z0-9+/]{40,}={0,2}\r?\n")
BASE64_LAST_LINE = re.compile(rb"[A-Za-z0-9+/]*={0,2}\r?\n")


def base64_runs(raw: bytes):
    """(start, end) of each run of at least HOIST_MIN_LINES base64 lines, plus the short last
    line. One pass over the lines: linear time whatever a sender puts in the message."""
    position, run_start, run_lines = 0, 0, 0
    size = len(raw)
    while position < size:
        end = raw.find(b"\n", position)
        end = size if end < 0 else end + 1
        if BASE64_LINE.fullmatch(raw, position, end):
            if run_lines == 0:
                run_start = position
            run_lines += 1
        else:
            if run_lines >= HOIST_MIN_LINES:
                if BASE64_LAST_LINE.fullmatch(raw, position, end):
                    yield run_start, end
                else:
                    yield run_start, position
            run_lines = 0
        position = end
    if run_lines >= HOIST_MIN_LINES:
        yield run_start, size


class Hoisted:
    def __init__(self, raw: bytes):
        self.token = f"RELAYDESK-HOISTED-{secrets.token_hex(8)}-"
        self.blocks: dict[str, memoryview] = {}
        self.reduced = raw
        if len(raw) < HOIST_MIN_BYTES:
            return
        view = memoryview(raw)
        pieces, last = [], 0
        for start, end in base64_runs(raw):
            name = f"{self.token}{len(self.blocks)}"
            self.blocks[name] = view[start:end]
            pieces += [view[last:start], name.encode() + b"\r\n"]
            last = end
        if self.blocks:
            pieces.append(view[last:])
            self.reduced = b"".join(pieces)

    def restore(self, data: bytes) -> bytes:
        """`data` with any placeholder put back as the original block (non-base64 parts)."""
        if not self.blocks or self.token.encode() not in data:
            return data
        for name, block in self.blocks.items():
            data = data.replace(name.encode(), bytes(block).rstrip(b"\r\n"))
        return data

    def spool(self, part: Message) -> tuple[Path, int, str, BinaryIO] | None:
        """A big lifted base64 block decoded a megabyte at a time into a spool file:
        (path, size, sha256, the file's lock), or None when the part is not one."""
        block = self._block_of(part)
        if block is None or len(block) < SPOOL_MIN_BYTES:
            return None
        path, handle, lock = spool.create()
        digest, size, carry = hashlib.sha256(), 0, b""
        try:
            with os.fdopen(handle, "wb") as file:
                for start in range(0, len(block), HASH_CHUNK):
                    text = carry + bytes(block[start : start + HASH_CHUNK]).translate(
                        None, b"\r\n \t"
                    )
                    usable = len(text) - len(text) % 4
                    data = binascii.a2b_base64(text[:usable])
                    carry = text[usable:]
                    digest.update(data)
                    size += len(data)
                    file.write(data)
                if carry.strip(b"="):
                    data = binascii.a2b_base64(carry + b"=" * (-len(carry) % 4))
                    digest.update(data)
                    size += len(data)
                    file.write(data)
        except binascii.Error:
            path.unlink(missing_ok=True)
            lock.close()
            return None
        return path, size, digest.hexdigest(), lock

    def _block_of(self, part: Message) -> memoryview | None:
        if not self.blocks:
            return None
        payload = part.get_payload()
        if not isinstance(payload, str) or self.token not in payload:
            return None
        encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
        return self.blocks.get(payload.strip()) if encoding == "base64" else None

    def decoded(self, part: Message) -> bytes | None:
        """A base64 part that is exactly one lifted block, decoded from the raw bytes."""
        if not self.blocks:
            return None
        payload = part.get_payload()
        if not isinstance(payload, str) or self.token not in payload:
            return None
        name = payload.strip()
        block = self.blocks.get(name)
        encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
        if block is None or encoding != "base64":
            return self.restore(payload.encode("utf-8", "surrogateescape"))
        try:
            return binascii.a2b_base64(block)
        except binascii.Error:
            return bytes(block)


NOTHING_HOISTED = Hoisted(b"")


def decoded_payload(part: Message, hoisted: Hoisted = NOTHING_HOISTED) -> bytes | None:
    lifted = hoisted.decoded(part)
    if lifted is not None:
        return lifted
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - undecodable transfer encoding: fall back to the raw payload
        payload = None
    # decode=True gives the bytes of a leaf part and None for a multipart one.
    return hoisted.restore(payload) if isinstance(payload, bytes) else None


def part_text(part: Message, hoisted: Hoisted = NOTHING_HOISTED) -> str:
    payload = decoded_payload(part, hoisted)
    if payload is None:
        raw_payload = part.get_payload()
        if isinstance(raw_payload, str):
            payload = raw_payload.encode("utf-8", "surrogateescape")
        else:
            return ""
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001
        charset = None
    return decode_bytes(payload, charset)


def part_bytes(part: Message, hoisted: Hoisted = NOTHING_HOISTED) -> bytes:
    payload = decoded_payload(part, hoisted)
    if payload is None:
        raw_payload = part.get_payload()
        if isinstance(raw_payload, list):
            try:
                joined = b"\n".join(p.as_bytes() for p in raw_payload if isinstance(p, Message))
            except Exception:  # noqa: BLE001
                return b""
            return hoisted.restore(joined)
        payload = str(raw_payload or "").encode("utf-8", "surrogateescape")
    return payload


PARAMETER_HEADERS = ("Content-Disposition", "Content-Type")


def _readable_parameters(part: Message, hint: str | None) -> Message:
    """compat32 reads raw 8-bit bytes in a parameter (an SMTPUTF8 file name) as U+FFFD; it
    keeps them in a Header, though. A copy of the two headers decoded as text keeps them."""
    copy = Message()
    for name in PARAMETER_HEADERS:
        value = part.get(name)
        if value is not None:
            copy[name] = header_text(value, hint)
    return copy


def filename_of(part: Message, hint: str | None = None) -> str:
    name: str | tuple[str | None, str | None, str] | None
    if any(isinstance(part.get(header), Header) for header in PARAMETER_HEADERS):
        part = _readable_parameters(part, hint)
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001
        name = None
    if not name:
        try:
            name = part.get_param("name")
        except Exception:  # noqa: BLE001
            name = None
    if isinstance(name, tuple):  # RFC 2231 value compat32 did not collapse
        name = decode_bytes(str(name[2]).encode("latin-1", "replace"), name[0])
    return header_text(name) if name else ""


def content_type_of(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:  # noqa: BLE001
        return "application/octet-stream"


def disposition_of(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:  # noqa: BLE001
        return ""


def content_param_of(part: Message, name: str) -> str:
    """A Content-Type parameter, lowercased; "" when absent, unreadable or RFC 2231-encoded."""
    try:
        value = part.get_param(name)
    except Exception:  # noqa: BLE001
        return ""
    return value.lower() if isinstance(value, str) else ""


class _Walker:
    def __init__(self, parsed: Parsed, hoisted: Hoisted):
        self.parsed = parsed
        self.hoisted = hoisted
        self.plain: list[str] = []
        self.html: list[str] = []

    def walk(self, part: Message, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            self.parsed.problems.append("MIME nesting too deep; the rest was not read")
            return
        ctype = content_type_of(part)
        payload = part.get_payload()
        if part.is_multipart() and isinstance(payload, list):
            if ctype == "multipart/alternative":
                self.alternative(payload, depth)
                return
            for sub in payload:
                if isinstance(sub, Message):
                    self.walk(sub, depth + 1)
            return
        name = filename_of(part, self.parsed.charset_hint)
        disposition = disposition_of(part)
        if ctype in ("message/rfc822", "message/global") or (
            ctype.startswith("message/") and isinstance(payload, list)
        ):
            self.attach(name or "message.eml", "message/rfc822", part_bytes(part, self.hoisted))
            return
        if disposition == "attachment" or name:
            spooled = self.hoisted.spool(part)
            if spooled is not None:
                path, size, digest, lock = spooled
                self.parsed.attachments.append(
                    Part(
                        name=(name or "attachment")[:255],
                        content_type=ctype,
                        payload=b"",
                        spooled=path,
                        size=size,
                        sha256=digest,
                        spool_lock=lock,
                    )
                )
                return
            self.attach(name or "attachment", ctype, part_bytes(part, self.hoisted))
            return
        if ctype == "text/html":
            self.html.append(part_text(part, self.hoisted))
        elif ctype in ("text/plain", "text/enriched"):
            self.plain.append(part_text(part, self.hoisted))
        else:
            self.attach(name or "attachment", ctype, part_bytes(part, self.hoisted))

    def alternative(self, payload: list, depth: int) -> None:
        subs = [sub for sub in payload if isinstance(sub, Message)]
        plain = [sub for sub in subs if content_type_of(sub) == "text/plain"]
        chosen = plain[:1] or subs[-1:]
        for sub in chosen:
            self.walk(sub, depth + 1)

    def attach(self, name: str, ctype: str, payload: bytes) -> None:
        self.parsed.attachments.append(Part(name=name[:255], content_type=ctype, payload=payload))


def addresses(values: list[str]) -> list[tuple[str, str]]:
    try:
        pairs = getaddresses(values)
    except Exception:  # noqa: BLE001
        return []
    return [(clean(name), clean(addr).strip().lower()) for name, addr in pairs]


def first_charset(message: Message) -> str | None:
    try:
        for part in message.walk():
            charset = part.get_content_charset()
            if charset:
                return charset
    except Exception:  # noqa: BLE001
        return None
    return None


def parse(raw: bytes) -> Parsed:
    try:
        hoisted = Hoisted(raw)
        message = email.message_from_bytes(hoisted.reduced, policy=compat32)
    except Exception as error:  # noqa: BLE001 - keep going with an empty message
        message = Message()
        parsed = Parsed(message=message, problems=[f"not a readable message: {error}"])
        return parsed
    parsed = Parsed(message=message, charset_hint=first_charset(message))
    parsed.message_id = normalise_message_id(parsed.header("Message-ID"))
    name, address = parseaddr(parsed.header("From"))
    address = clean(address).strip().lower()
    if not valid_address(address):
        # Some senders put only Sender or Reply-To right; a bad From is a reason, not a crash.
        _, fallback = parseaddr(parsed.header("Sender"))
        fallback = clean(fallback).strip().lower()
        address = fallback if valid_address(fallback) else ""
    parsed.sender = address
    parsed.sender_name = clean(name).strip()[:200]
    recipient_headers = [
        parsed.header(h) for h in ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
    ]
    parsed.recipients = [a for _, a in addresses([h for h in recipient_headers if h]) if a]
    parsed.subject = parsed.header("Subject")[:300]
    parsed.in_reply_to = message_ids(parsed.header("In-Reply-To"))
    parsed.references = message_ids(parsed.header("References"))
    walker = _Walker(parsed, hoisted)
    try:
        if content_type_of(message) == "multipart/report":
            parsed.bounce = read_report(message)
        walker.walk(message)
    except Exception as error:  # noqa: BLE001 - broken MIME: keep what was read
        parsed.problems.append(f"broken MIME structure: {type(error).__name__}")
    texts = [t.strip() for t in walker.plain if t.strip()]
    if texts:
        parsed.text = "\n\n".join(texts)
    else:
        html_texts = [html_to_text(h) for h in walker.html if h.strip()]
        parsed.text = "\n\n".join(t for t in html_texts if t)
        parsed.html_only = bool(html_texts)
    parsed.text = clean(parsed.text.replace("\r\n", "\n").replace("\r", "\n"))
    return parsed


REPORT_FIELDS = {
    "Final-Recipient": "recipient",
    "Status": "status",
    "Action": "action",
    "Diagnostic-Code": "diagnostic",
}


def read_report(message: Message) -> Bounce | None:
    """A delivery status notification (RFC 3464): whom it failed for, why, about which mail."""
    if content_param_of(message, "report-type") != "delivery-status":
        return None
    bounce = Bounce()
    for part in message.walk():
        ctype = content_type_of(part)
        if ctype == "message/delivery-status":
            _read_status_fields(part, bounce)
        elif ctype in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            text = part_bytes(part).decode("latin-1")
            match = re.search(r"(?im)^message-id:\s*(<[^>]+>)", text)
            if match:
                bounce.referenced_ids.append(match.group(1))
    bounce.recipient = bounce.recipient.split(";")[-1].strip()[:320]
    bounce.diagnostic = bounce.diagnostic[:1000]
    return bounce


def _read_status_fields(part: Message, bounce: Bounce) -> None:
    """Fill `bounce` from a message/delivery-status part: parsed header blocks when the parser
    split them, else the part's text line by line. The first value of each field wins."""
    payload = part.get_payload()
    blocks = payload if isinstance(payload, list) else []
    for block in blocks:
        if not isinstance(block, Message):
            continue
        for key, attribute in REPORT_FIELDS.items():
            if not getattr(bounce, attribute):
                setattr(bounce, attribute, header_text(block.get(key)))
    if not blocks:
        text = part_text(part)
        for key, attribute in REPORT_FIELDS.items():
            match = re.search(rf"(?im)^{key}:\s*(.+)$", text)
            if match and not getattr(bounce, attribute):
                setattr(bounce, attribute, match.group(1).strip())
