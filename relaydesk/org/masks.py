"""Contact details masked the way rule 15 writes them: `f•••@example.org`, `+31 •• ••• 437`.

Whatever is stored, the mask shows no more than the first character of an address's local
part, its domain, a phone's country code and its last three digits; when a value is too odd
or too short for that to leave anything hidden, less is shown (see each function).

Pure functions in the base layer: cases masks the texts it composes with them and
`relaydesk.privacy.masking` re-exports them for the pages.
"""

import re

DOTS = "•••"
# Country calling codes of two digits (ITU E.164 zones); 1 and 7 are the one-digit codes and
# every other code has three digits. Used only when the number is written without a space
# after its code ("+31201234437").
_TWO_DIGIT_CODES = frozenset(
    ("20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46")
    + ("47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62")
    + ("63", "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98")
)
# Fewer hidden digits than this and the last three are not shown either ("112", "+31 437").
_MIN_HIDDEN_DIGITS = 4


def mask_email(value: str | None) -> str:
    """`fran@example.org` -> `f•••@example.org`. No `@`: the first character and dots; an
    empty local part: only dots before the domain; empty in, empty out."""
    text = (value or "").strip()
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    if not at:
        return f"{text[0]}{DOTS}"
    if not local:
        return f"{DOTS}@{domain}"
    return f"{local[0]}{DOTS}@{domain}"


def _country_code(text: str, digits: str) -> str:
    """The calling code of an international number (`+` or `00` in front), else ""."""
    if not (text.startswith("+") or text.startswith("00")):
        return ""
    number = digits[2:] if text.startswith("00") else digits
    written = re.match(r"^(?:\+|00)\s*(\d{1,3})[\s\-./()]", text)
    if written:
        return written.group(1)
    if number[:1] in ("1", "7"):
        return number[:1]
    return number[:2] if number[:2] in _TWO_DIGIT_CODES else number[:3]


def mask_phone(value: str | None) -> str:
    """`+31 20 123 4437` -> `+31 •• ••• 437`; without a country code `•• ••• 437`. Only
    digits count (letters, extensions' words and punctuation are dropped); a number with
    too few digits to hide any shows only dots; empty in, empty out."""
    text = (value or "").strip()
    if not text:
        return ""
    digits = "".join(ch for ch in text if ch.isdigit())
    code = _country_code(text, digits)
    national = digits[(2 if text.startswith("00") else 0) + len(code) :]
    prefix = f"+{code} " if code else ""
    if len(national) - 3 < _MIN_HIDDEN_DIGITS:
        return f"{prefix}{DOTS}"
    return f"{prefix}•• ••• {national[-3:]}"


def hide_in_text(text: str, *, email: str, phone: str) -> str:
    """`text` with the customer's own address and number (as stored) replaced by their masks:
    for lines that quote them, such as "Acknowledgement sent to fran@example.org"."""
    if email and email in text:
        text = text.replace(email, mask_email(email))
    if phone and phone in text:
        text = text.replace(phone, mask_phone(phone))
    return text


def hide_in_data(value, *, email: str, phone: str):
    """`hide_in_text` through an event's data (dicts, lists and strings; the rest as is)."""
    if isinstance(value, str):
        return hide_in_text(value, email=email, phone=phone)
    if isinstance(value, dict):
        return {key: hide_in_data(item, email=email, phone=phone) for key, item in value.items()}
    if isinstance(value, list):
        return [hide_in_data(item, email=email, phone=phone) for item in value]
    return value


_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+\.[A-Za-z]{2,}")


def mask_addresses(text: str) -> str:
    """Every email address in `text` masked: for lines that may quote any customer's address
    (the bell's lines, "attached a message from carla@example.com")."""
    return _ADDRESS.sub(lambda found: mask_email(found.group(0)), text or "")
