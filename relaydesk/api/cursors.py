"""Opaque cursors for keyset pagination (newest case first, by id)."""

import base64
import binascii
import json

from ninja.errors import HttpError

MAX_ID = 2**62


def encode(before_id: int) -> str:
    raw = json.dumps({"v": 1, "before": before_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> int:
    """The id the next page starts below; a cursor we did not make is a 400, never a 500."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        before = data["before"]
        if data.get("v") != 1 or type(before) is not int or not 0 < before <= MAX_ID:
            raise ValueError(before)
    except (binascii.Error, ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError):
        raise HttpError(
            400, "That cursor is not one this API gave out; start again without it."
        ) from None
    return before
