"""Status links (rule 14): `/status/<token>`, the token 256 random bits, kept only as a hash.

Every mail that carries a link issues a new one inside its action's transaction
(relaydesk.cases.acknowledgement.status_url); relaydesk.portal.status exchanges a live one for
a session; relaydesk.cases.actions.rotate_status_link revokes a case's links and issues one.
The token leaves the process only in the mail (or once to staff after a rotation): events keep
the link with its token masked (`without_tokens`).
"""

import hashlib
import secrets
from datetime import datetime

from relaydesk.cases.models import Case, Status, StatusLink
from relaydesk.org.addresses import base_url
from relaydesk.outbox.masking import without_status_tokens

TOKEN_BYTES = 32  # 256 random bits; rule 14 asks for at least 128


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(case: Case, moment: datetime) -> str:
    """A new live link for `case`: its row (the hash) is written, the token returned."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    StatusLink.objects.create(case=case, token_hash=token_hash(token), created_at=moment)
    return token


def url_for(token: str) -> str:
    return f"{base_url()}/status/{token}"


def without_tokens(text: str) -> str:
    """`text` with every status link's token masked: what an event may keep of a mail."""
    return without_status_tokens(text)


def revoke_all(case: Case, moment: datetime) -> int:
    """Revoke every live link of `case`; how many were live."""
    return StatusLink.objects.filter(case=case, revoked_at__isnull=True).update(revoked_at=moment)


def live_link(token: str) -> tuple[int, int] | None:
    """(link id, case id) of the live link with this token, or None: unknown, revoked, or its
    case closed. One query by the unique hash."""
    if not token or len(token) > 200:
        return None
    return (
        StatusLink.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .exclude(case__status=Status.CLOSED)
        .values_list("pk", "case_id")
        .first()
    )
