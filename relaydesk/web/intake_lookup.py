"""Intake's customer search: enough to pick the right person, never a way to learn details.

Searching by part of an address or a few digits would let anyone at the desk probe who is a
customer and what their contact details are (rule 15), so a search names the person the
caller says they are: a whole email address, a phone number's last 6 digits or more, or 2 or
more characters of a name. Results are masked in the template, capped, and only rows still in
use (a customer merged into another, `merged_into`, is found as the one it was merged into).
"""

import re
from dataclasses import dataclass

from django.db.models import F, Q, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Replace

from relaydesk.cases.models import Customer

RESULTS = 8
MIN_NAME = 2
MIN_PHONE_DIGITS = 6
REFUSED = (
    "Search by a whole email address, at least the last 6 digits of a phone number, "
    "or at least 2 letters of a name."
)
_WHOLE_ADDRESS = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]{2,}$")
_PHONE_LIKE = re.compile(r"^[\d\s+\-./()]+$")
_PHONE_PUNCTUATION = (" ", "-", ".", "/", "(", ")", "+")


@dataclass(frozen=True)
class Lookup:
    found: list[Customer]
    refused: str = ""


def _phone_digits() -> Combinable:
    """The stored phone without its punctuation: its digits, to match the number's end."""
    expression: Combinable = F("phone")
    for mark in _PHONE_PUNCTUATION:
        expression = Replace(expression, Value(mark), Value(""))
    return expression


def customers_matching(query: str, *, limit: int, name_anywhere: bool) -> list[Customer] | None:
    """Kept customers by a whole email address, a phone number's last 6 digits or more, or 2 or
    more letters of their name (its start, or any part with `name_anywhere`); None for a part
    of an address or a few digits, which would let anyone probe a customer's details (rule 15).
    Intake's search and the header's search share this one rule."""
    text = query.strip()
    rows = Customer.objects.filter(merged_into__isnull=True)
    if "@" in text:
        if not _WHOLE_ADDRESS.match(text):
            return None
        rows = rows.filter(email=text.lower())  # stored lower-case
    elif _PHONE_LIKE.match(text):
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) < MIN_PHONE_DIGITS:
            return None
        rows = rows.annotate(phone_digits=_phone_digits()).filter(
            ~Q(phone=""), phone_digits__endswith=digits
        )
    elif len(text) >= MIN_NAME:
        rows = (
            rows.filter(name__icontains=text)
            if name_anywhere
            else rows.filter(name__istartswith=text)
        )
    else:
        return None
    return list(rows.order_by("name", "id")[:limit])


def find_for_intake(query: str) -> Lookup:
    found = customers_matching(query, limit=RESULTS, name_anywhere=False)
    return Lookup([], REFUSED) if found is None else Lookup(found)
