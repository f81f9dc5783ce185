from django.contrib import admin
from django.urls import include, path

from relaydesk.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("relaydesk.portal.urls")),
    path("", include("relaydesk.web.urls")),
]
