from django.urls import path

from relaydesk.clock import views

urlpatterns = [
    path("due-soon/", views.due_soon_page, name="due-soon"),
]
