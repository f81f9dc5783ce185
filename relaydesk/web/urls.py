"""The staff pages. Other rooms add their own (due soon, quarantine) and extend web/base.html."""

from django.contrib.auth import views as auth_views
from django.urls import path

from relaydesk.web.views import lists, notifications

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", lists.my_cases, name="my-cases"),
    path("queue/", lists.queue, name="queue"),
    path("notifications/", notifications.notification_list, name="notifications"),
]
