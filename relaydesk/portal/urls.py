"""The customer's side (status link, reply, reopen, survey, contact form)."""

from collections.abc import Callable
from functools import wraps

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from relaydesk.portal import contact, status, status_files


def headed(view: Callable) -> Callable:
    """Every answer under status/ says no-referrer, no-store and noindex (rule 14), including
    the ones no view of ours writes: a wrong method's 405, a failed CSRF check's 403."""

    checked = view if getattr(view, "csrf_exempt", False) else csrf_protect(view)

    @csrf_exempt  # checked inside (no_referrer.status_form's own check, or csrf_protect)
    @wraps(view)
    def answer(request, *args, **kwargs):
        return status.headed(checked(request, *args, **kwargs))

    return answer


urlpatterns = [
    path("contact", contact.contact, name="portal-contact"),
    path("contact/", contact.contact),
    path("contact/sent/<str:token>/", contact.contact_sent, name="portal-contact-sent"),
    # The status page (rule 14); anything else under status/ gets its one plain 404.
    path("status/case/<str:ref>/", headed(status.page), name="portal-status-case"),
    path("status/case/<str:ref>/reply/", headed(status.reply), name="portal-status-reply"),
    path("status/case/<str:ref>/survey/", headed(status.survey), name="portal-status-survey"),
    path("status/case/<str:ref>/reopen/", headed(status.unhappy), name="portal-status-reopen"),
    path(
        "status/case/<str:ref>/files/<int:attachment_id>/",
        headed(status_files.file),
        name="portal-status-file",
    ),
    path("status/<str:token>", headed(status.exchange), name="portal-status-link"),
    path("status/<str:token>/", headed(status.exchange)),
    re_path(r"^status(?:/.*)?$", headed(status.missing)),
]
