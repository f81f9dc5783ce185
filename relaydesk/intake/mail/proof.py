"""Whether a mail that threads to a case may speak as the case's customer (rule 11).

A From header and a `[RD-n]` tag prove nothing: anyone can write them. Three things do:
- it was sent to the case's per-case reply address (its key is a secret only our mail carries);
- it answers a Message-ID we sent about that case (In-Reply-To/References; our Message-IDs are
  random and only the customer's mail holds them);
- a receiving server we trust says the From domain passed DMARC (or DKIM signed by that domain),
  in its `Authentication-Results` header (RFC 8601). Only headers whose authserv-id is listed in
  RELAYDESK_TRUSTED_AUTHSERV_IDS count: anyone can add such a header to the mail they send, so
  every other one is ignored. (The trusted server must strip headers that claim its own id from
  incoming mail, as RFC 8601 section 5 asks; the common ones do.)

The first two are found while threading (relaydesk.intake.mail.threads: `Thread.proven`); this
module reads the third.
"""

import re

from django.conf import settings

from relaydesk.intake.mail.parse import Parsed
from relaydesk.intake.mail.text import header_text

COMMENT = re.compile(r"\([^()]*\)")
PROPERTY = re.compile(r"([a-z0-9._/-]+)\s*=\s*(\"[^\"]*\"|[^\s;]+)")
MAX_HEADERS = 20  # a message carries one per hop; more than this is noise, not proof


def _without_comments(value: str) -> str:
    for _ in range(5):  # comments may nest; a few rounds unwrap any honest header
        stripped = COMMENT.sub(" ", value)
        if stripped == value:
            break
        value = stripped
    return value


def _result_sets(value: str) -> tuple[str, list[dict[str, str]]]:
    """(authserv-id, [{method: result, property: value, …} per method]) of one header."""
    first, *results = _without_comments(value).split(";")
    words = first.split()
    authserv_id = words[0].lower() if words else ""
    sets = []
    for result in results:
        found = {
            name.lower(): raw.strip('"').lower() for name, raw in PROPERTY.findall(result.lower())
        }
        if found:
            sets.append(found)
    return authserv_id, sets


def _domain_of(identity: str) -> str:
    return identity.rpartition("@")[2].strip(".")


def _passes_for(result: dict[str, str], domain: str) -> bool:
    if result.get("dmarc") == "pass":
        return result.get("header.from", "") == domain
    if result.get("dkim") == "pass":
        signer = result.get("header.d") or _domain_of(result.get("header.i", ""))
        return signer == domain
    return False


def authenticated_by_trusted_server(parsed: Parsed) -> str:
    """The trusted authserv-id that vouches for the From's domain, or "" when none does."""
    trusted = set(settings.TRUSTED_AUTHSERV_IDS)
    domain = _domain_of(parsed.sender)
    if not trusted or not domain:
        return ""
    headers = parsed.message.get_all("Authentication-Results") or []
    for value in headers[:MAX_HEADERS]:
        try:
            text = header_text(value, parsed.charset_hint)
        except Exception:  # noqa: BLE001, S112 - an unreadable header proves nothing
            continue
        authserv_id, results = _result_sets(text)
        if authserv_id in trusted and any(_passes_for(result, domain) for result in results):
            return authserv_id
    return ""
