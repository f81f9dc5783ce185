"""Turning mail bytes and headers into text that never crashes and never holds a NUL."""

import codecs
import contextlib
import html
import re
from email.header import Header, decode_header

import nh3

FALLBACK_CHARSETS = ("utf-8", "cp1252")
CHARSET_ALIASES = {
    "unknown-8bit": "cp1252",
    "x-unknown": "cp1252",
    "us-ascii": "cp1252",  # "ascii" mail with 8-bit bytes is nearly always Windows-1252
    "ascii": "cp1252",
    "iso-8859-8-i": "iso-8859-8",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}


def clean(text: str) -> str:
    """Text safe for every database: PostgreSQL rejects NUL in text columns."""
    return text.replace("\x00", "")


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in a declared (perhaps lying or unknown) charset → text, with fallbacks."""
    candidates = []
    if charset:
        name = charset.strip().strip('"').lower()
        name = CHARSET_ALIASES.get(name, name)
        with contextlib.suppress(LookupError):
            candidates.append(codecs.lookup(name).name)
    for fallback in FALLBACK_CHARSETS:
        if fallback not in candidates:
            candidates.append(fallback)
    for name in candidates:
        try:
            return clean(data.decode(name))
        except (UnicodeDecodeError, LookupError):
            continue
    return clean(data.decode(candidates[0], errors="replace"))


def raw_header_bytes(data: bytes, hint: str | None) -> str:
    """Raw 8-bit bytes in a header → text. Valid UTF-8 is read as UTF-8 whatever the body's
    charset says: SMTPUTF8 mail (RFC 6532) writes its headers so, and a legacy charset's
    accented bytes are almost never valid UTF-8. Anything else: `hint`, then the fallbacks."""
    try:
        return clean(data.decode("utf-8"))
    except UnicodeDecodeError:
        return decode_bytes(data, hint)


def header_text(value, hint: str | None = None) -> str:
    """A header value (RFC 2047 encoded words and all) as one line of text.

    Raw 8-bit bytes in a header (SMTPUTF8 mail, or a legacy mailer) arrive as surrogates from
    the parser; they are read as UTF-8 when they are valid UTF-8, else with `hint` (the
    message's body charset), then the fallbacks (raw_header_bytes)."""
    if value is None:
        return ""
    if isinstance(value, Header):  # compat32 wraps raw 8-bit headers as unknown-8bit
        try:
            pieces = decode_header(value)
        except Exception:  # noqa: BLE001
            pieces = [(str(value), None)]
        return _join(pieces, hint)
    raw = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        raw = raw_header_bytes(raw.encode("utf-8", "surrogateescape"), hint)
    try:
        pieces = decode_header(raw)
    except Exception:  # noqa: BLE001 - malformed encoded words: show them as they came
        return clean(" ".join(raw.split()))
    return _join(pieces, hint)


def _join(pieces, hint: str | None) -> str:
    out = []
    for piece, charset in pieces:
        if isinstance(piece, bytes):
            if charset in (None, "unknown-8bit"):  # raw bytes, not an encoded word
                out.append(raw_header_bytes(piece, hint))
            else:
                out.append(decode_bytes(piece, charset))
        else:
            out.append(piece)
    # decode_header drops the space between an encoded word and plain text; join as it does.
    return clean(" ".join("".join(out).split()))


BLOCK_END = re.compile(r"(?i)</(p|div|tr|li|h[1-6]|table|blockquote|pre)\s*>")
LINE_BREAK = re.compile(r"(?i)<br\s*/?>")
MANY_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


def html_to_text(markup: str) -> str:
    """HTML-only mail → plain text: nh3 removes every tag (and script/style with their
    content); what remains is unescaped text, never markup a browser would run."""
    markup = LINE_BREAK.sub("\n", markup)
    markup = BLOCK_END.sub("\n", markup)
    stripped = nh3.clean(
        markup, tags=set(), clean_content_tags={"script", "style", "head", "title"}
    )
    text = html.unescape(stripped)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return clean(MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip())
