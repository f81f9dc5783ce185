from django.urls import path

from relaydesk.intake import views

urlpatterns = [
    path("mail/quarantine/", views.quarantine_page, name="mail-quarantine"),
    path("mail/quarantine/<int:entry_id>/", views.quarantine_act, name="mail-quarantine-act"),
    path(
        "mail/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="mail-attachment",
    ),
]
