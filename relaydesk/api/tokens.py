"""Making, finding and revoking API tokens. The secret leaves this module only once."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import User

from relaydesk.api.models import ApiToken
from relaydesk.timekeeping import now

# The public start of every token (not a secret): makes a leaked token easy to recognise.
SECRET_PREFIX = "rdk_"  # noqa: S105
SHOWN_CHARS = 12  # "rdk_" plus 8 characters of the random part, for lists
MAX_SECRET = 200
# last_used_at is a hint for people, not an audit log: write it at most once a minute per token
# so a busy client does not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, *, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, which is never stored and cannot be shown again."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=secret[:SHOWN_CHARS],
        key_hash=hash_secret(secret),
        created_at=now(),
    )
    return token, secret


def find_token(secret: str) -> ApiToken | None:
    """The token with this secret (revoked or not), with its user and staff profile."""
    if not secret or len(secret) > MAX_SECRET:
        return None
    return (
        ApiToken.objects.select_related("user__staff").filter(key_hash=hash_secret(secret)).first()
    )


def mark_used(token: ApiToken) -> None:
    moment = now()
    if token.last_used_at is None or moment - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
        token.last_used_at = moment


def revoke(token: ApiToken) -> bool:
    """Revoke `token`; False when it already was (the first revocation time is kept)."""
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now())
    token.refresh_from_db(fields=["revoked_at"])
    return bool(changed)
