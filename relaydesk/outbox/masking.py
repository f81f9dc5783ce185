"""Status link tokens (rule 14) in mail bodies: a queued mail must carry its link's token to
the customer, but once sent the outbox keeps the mail with the token masked, so the database
holds tokens only as hashes (relaydesk.cases.status_links) and in mail not yet sent."""

import re

MASK = "•••"
# A status link's token in a text: URL-safe base64, at least 128 bits' worth (22 characters).
STATUS_TOKEN = re.compile(r"/status/[A-Za-z0-9_-]{22,}")


def without_status_tokens(text: str) -> str:
    return STATUS_TOKEN.sub(f"/status/{MASK}", text)
