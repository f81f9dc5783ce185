from functools import partial

from django.contrib import admin
from django.urls import include, path
from ninja.openapi.views import openapi_view

from relaydesk.api.api import api
from relaydesk.web.access import staff_required

# The API's browsable docs: for signed-in staff only, with Swagger's files from the ninja
# package (settings.INSTALLED_APPS), never a CDN. The schema itself stays public.
api_docs = staff_required(partial(openapi_view, api=api))

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/docs", api_docs, name="api-docs"),
    path("api/v1/", api.urls),
    path("", include("relaydesk.portal.urls")),
    path("", include("relaydesk.web.urls")),
]
