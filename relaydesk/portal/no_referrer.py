"""CSRF protection for forms on pages that say `Referrer-Policy: no-referrer` (the status page).

Under that policy a browser sends no Referer and `Origin: null` with a form's POST, even to the
page's own address (Fetch: a request's origin is serialised as "null" when its referrer policy
is no-referrer). Django's CSRF check refuses a null Origin, and over HTTPS a missing Referer
too, so every status page form would fail in a real browser. Rule 14 keeps the policy; these
forms instead rely on the rest of the CSRF check: the form's token must match the CSRF cookie,
and the cookies (session and CSRF, SameSite=Lax) are not sent with another site's POST at all.
An Origin naming another site is still refused.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect


def status_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view's POSTs pass Django's CSRF check with a null Origin read as this site's."""
    protected = csrf_protect(view)

    @csrf_exempt  # the global check would refuse the null Origin; `protected` checks instead
    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.META.get("HTTP_ORIGIN") == "null":
            request.META["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return protected(request, *args, **kwargs)

    return checked
