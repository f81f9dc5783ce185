"""Intake's customer search: enough to pick the right person, never a way to learn details.

Searching by part of an address or a few digits would let anyone at the desk probe who is a
customer and what their contact details are (rule 15), so a search names the person the
caller says they are: a whole email address, a phone number's last 6 digits or more, or 2 or
more characters of a name. Results are masked in the template, capped, and only rows still in
use (a customer merged into another, `merged_into`, is found as the one it was merged into).
"""

import re
from dataclasses import dataclass

from django.db.models import Q

from relaydesk.cases.models import Customer

RESULTS = 8
MIN_NAME = 2
MIN_PHONE_DIGITS = 6
# Part of a name from 3 letters (an index of letter triples serves it on PostgreSQL); 2
# letters are a name's start, which an index serves on both engines.
MIN_ANYWHERE = 3
ANYWHERE_POOL = 10  # part of a name: the first limit × 10 matches are sorted by name
REFUSED = (
    "Search by a whole email address, at least the last 6 digits of a phone number, "
    "or at least 2 letters of a name."
)
_WHOLE_ADDRESS = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]{2,}$")
_PHONE_LIKE = re.compile(r"^[\d\s+\-./()]+$")


@dataclass(frozen=True)
class Lookup:
    found: list[Customer]
    refused: str = ""


def _ending_in(digits: str) -> Q:
    """Phones ending in `digits`: their keys (digits last first) start with `digits` reversed,
    so they lie in one range of the phone_key index, from that start up to the next start
    ("4321" to "4322"; "4399" to "44"). Digits only, so every collation orders them alike."""
    start = digits[::-1]
    rows = Q(phone_key__gte=start)
    carried = start.rstrip("9")
    if carried:  # all nines: every key from `start` on
        rows &= Q(phone_key__lt=carried[:-1] + str(int(carried[-1]) + 1))
    return rows


def customers_matching(query: str, *, limit: int, name_anywhere: bool) -> list[Customer] | None:
    """Kept customers by a whole email address, a phone number's last 6 digits or more, or 2 or
    more letters of their name (its start, or with `name_anywhere` any part of 3 or more
    letters); None for a part
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
        rows = rows.filter(_ending_in(digits))
    elif len(text) >= MIN_ANYWHERE and name_anywhere:
        # Part of a name is no index order: a common part ("jun") matches thousands, and
        # sorting them all for the first few cost 300 ms at 250k customers. The first
        # matches found are sorted instead; more letters narrow it down.
        found = rows.filter(name__icontains=text)[: limit * ANYWHERE_POOL]
        return sorted(found, key=lambda row: (row.name, row.pk))[:limit]
    elif len(text) >= MIN_NAME:
        rows = rows.filter(name__istartswith=text)
    else:
        return None
    return list(rows.order_by("name", "id")[:limit])


def find_for_intake(query: str) -> Lookup:
    found = customers_matching(query, limit=RESULTS, name_anywhere=False)
    return Lookup([], REFUSED) if found is None else Lookup(found)
