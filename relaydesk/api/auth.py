"""Bearer tokens for the API. Every router registered on `api` uses this by default.

After authentication `request.auth` is the acting `User` (an active staff member) and
`request.api_token` the token used. A router for a narrower audience adds its own check on
top, e.g. `require_lead(request)` for leads and admins.
"""

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer

from relaydesk.api import tokens
from relaydesk.org.permissions import is_lead

HOW = (
    "Send an API token as 'Authorization: Bearer <token>' "
    "(make one with `relaydesk token create USER`)."
)


def api_user_problem(user: User) -> str:
    """Why `user` may not use the API, or "" when they may (only active staff may)."""
    staff = getattr(user, "staff", None)
    if not user.is_active or staff is None or not staff.active:
        return f"{user.username} is not active staff; only active staff may use the API."
    return ""


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> User:
        header = request.headers.get(self.header, "")
        scheme, _, secret = header.strip().partition(" ")
        if not header:
            raise AuthenticationError(message=f"No API token. {HOW}")
        if scheme.lower() != self.openapi_scheme:
            raise AuthenticationError(
                message=f"The Authorization header is not a bearer token. {HOW}"
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = tokens.find_token(token)
        if found is None:
            raise AuthenticationError(message="That API token is not valid.")
        if found.is_revoked:
            raise AuthenticationError(message="That API token has been revoked.")
        problem = api_user_problem(found.user)
        if problem:
            raise AuthorizationError(message=problem)
        tokens.mark_used(found)
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


bearer = BearerToken()


def acting_user(request: HttpRequest) -> User:
    """The person the request acts for (set by BearerToken)."""
    return request.auth  # type: ignore[attr-defined]


def require_lead(request: HttpRequest) -> User:
    """For team-wide endpoints (quarantine, reports): leads, executives and admins only."""
    user = acting_user(request)
    if not is_lead(user):
        raise AuthorizationError(message="Only leads, executives and admins may see this.")
    return user
