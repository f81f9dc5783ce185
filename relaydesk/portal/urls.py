"""The customer's side (status link, reply, reopen, survey, contact form)."""

from django.urls import path

from relaydesk.portal import contact

urlpatterns = [
    path("contact", contact.contact, name="portal-contact"),
    path("contact/", contact.contact),
    path("contact/sent/<str:token>/", contact.contact_sent, name="portal-contact-sent"),
]
