"""The customer's side (status link, reply, reopen, survey, contact form)."""

from django.urls import path, re_path

from relaydesk.portal import contact, status, status_files

urlpatterns = [
    path("contact", contact.contact, name="portal-contact"),
    path("contact/", contact.contact),
    path("contact/sent/<str:token>/", contact.contact_sent, name="portal-contact-sent"),
    # The status page (rule 14); anything else under status/ gets its one plain 404.
    path("status/case/<str:ref>/", status.page, name="portal-status-case"),
    path("status/case/<str:ref>/reply/", status.reply, name="portal-status-reply"),
    path("status/case/<str:ref>/survey/", status.survey, name="portal-status-survey"),
    path("status/case/<str:ref>/reopen/", status.unhappy, name="portal-status-reopen"),
    path(
        "status/case/<str:ref>/files/<int:attachment_id>/",
        status_files.file,
        name="portal-status-file",
    ),
    path("status/<str:token>", status.exchange, name="portal-status-link"),
    path("status/<str:token>/", status.exchange),
    re_path(r"^status(?:/.*)?$", status.missing),
]
