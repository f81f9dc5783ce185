"""Sign-in limits: django-axes counts wrong passwords by username and by address (settings.py,
"Sign-in limits"); this module adds Relaydesk's three decisions to it.

- The cool-off backs off: it doubles for every further `RELAYDESK_LOGIN_FAILURE_LIMIT` failures
  (a failure while locked out counts and restarts the wait), up to a ceiling.
- The admins hear of each lockout once, when it starts: a bell line (and so a digest mail) for
  every active superuser, besides axes' own records on the admin site (Access attempts, Access
  failures).
- A sign-in without a request (the test client's `login()`, a shell) passes: no attacker
  reaches that door, and every HTTP sign-in form, the admin's included, gives the request.
"""

import logging
from datetime import timedelta

from axes.backends import AxesStandaloneBackend  # type: ignore[import-untyped]  # django-axes ships no types
from axes.models import AccessAttempt  # type: ignore[import-untyped]  # django-axes ships no types
from axes.signals import user_locked_out  # type: ignore[import-untyped]  # django-axes ships no types
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, Sum
from django.dispatch import receiver
from django.http import HttpRequest

from relaydesk.cases.models import Notification
from relaydesk.cases.notify import LINE_LIMIT, shorten
from relaydesk.timekeeping import now

log = logging.getLogger(__name__)


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check in front of the password check, for sign-ins that come with a request."""

    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    """The address sign-in limits count by. Behind a proxy (RELAYDESK_BEHIND_TLS_PROXY) it is the
    last X-Forwarded-For entry, the one the proxy itself added; earlier ones the client wrote."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")


def _username(request: HttpRequest) -> str | None:
    return request.POST.get(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")) or None


def failures_for(request: HttpRequest) -> int:
    """The failures that count against this sign-in: by its username or by its address."""
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    counts = AccessAttempt.objects.aggregate(
        by_username=Sum("failures_since_start", filter=Q(username=_username(request))),
        by_address=Sum("failures_since_start", filter=Q(ip_address=address)),
    )
    return max(counts["by_username"] or 0, counts["by_address"] or 0)


def cool_off(request: HttpRequest | None) -> timedelta:
    """How long a lockout lasts: the base, doubled for each further limit's worth of failures."""
    base = timedelta(minutes=settings.LOGIN_COOL_OFF_MINUTES)
    ceiling = timedelta(minutes=settings.LOGIN_COOL_OFF_MAX_MINUTES)
    if request is None or request.method != "POST":
        return base
    limit = max(settings.AXES_FAILURE_LIMIT, 1)
    doublings = max(failures_for(request) - limit, 0) // limit
    if doublings > 20:  # 2**20 times any base passes any sensible ceiling
        return ceiling
    return min(base * 2**doublings, ceiling)


@receiver(user_locked_out, dispatch_uid="relaydesk-lockout-tells-admins")
def tell_admins(sender, request: HttpRequest, username: str | None, ip_address: str, **kwargs):
    """A bell line for every active superuser when a lockout starts (not at every later try)."""
    if getattr(request, "axes_failures_since_start", None) != settings.AXES_FAILURE_LIMIT:
        return
    text = shorten(
        f"Sign-in locked after {settings.AXES_FAILURE_LIMIT} wrong passwords: "
        f"username {username or '(none)'!r} from {ip_address} at {request.path}",
        LINE_LIMIT,
    )
    log.warning("%s", text)
    at = now()
    admins = User.objects.filter(is_superuser=True, is_active=True)
    with transaction.atomic():
        Notification.objects.bulk_create(
            Notification(user=admin, text=text, created_at=at, mail_pending=bool(admin.email))
            for admin in admins
        )
