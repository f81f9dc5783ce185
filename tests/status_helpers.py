"""Status links as tests meet them: the token in a mail, and where the database keeps it."""

import re

from relaydesk.cases.models import Case, StatusLink
from relaydesk.cases.status_links import token_hash

LINK = re.compile(r"/status/([A-Za-z0-9_-]{22,})")


def token_in(text: str) -> str:
    """The status link's token in `text` (a mail body); fails when there is none."""
    found = LINK.search(text)
    assert found is not None, f"no status link in {text!r}"
    return found.group(1)


def is_link_of(case: Case, token: str) -> bool:
    """The token is a live link of `case`, kept as its hash."""
    return StatusLink.objects.filter(
        case=case, token_hash=token_hash(token), revoked_at__isnull=True
    ).exists()
