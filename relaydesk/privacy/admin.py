"""The admin's view of a customer: their details and their access log (rule 15), read-only.

Admins (superusers) only: a customer's contact details are shown whole to them, and this
page is itself a whole view, so it writes its own log row.
"""

from django.contrib import admin

from relaydesk.cases import admin as cases_admin
from relaydesk.cases.models import Customer, Event
from relaydesk.privacy.grounds import Ground
from relaydesk.privacy.log import record
from relaydesk.privacy.models import AccessLog


class SuperuserOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccessLogInline(admin.TabularInline):
    model = AccessLog
    fk_name = "customer"
    fields = readonly_fields = ("at", "who", "ground", "case", "page")
    ordering = ["-at", "-id"]
    extra = 0
    can_delete = False
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("who", "case")


@admin.register(Customer)
class CustomerAdmin(SuperuserOnly):
    list_display = ["name", "created_at"]  # the list masks by leaving details out
    search_fields = ["name", "=email", "=phone"]
    fields = readonly_fields = ("name", "email", "phone", "created_at")
    ordering = ["-id"]
    inlines = [AccessLogInline]
    show_full_result_count = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        customer = Customer.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if customer is not None and response.status_code == 200:
            record(who=request.user, customer=customer, ground=Ground.ADMIN, page=request.path)
        return response


@admin.register(AccessLog)
class AccessLogAdmin(SuperuserOnly):
    list_display = ["at", "who", "customer", "case", "ground", "page"]
    list_filter = ["ground"]
    list_select_related = ["who", "customer", "case"]
    search_fields = ["=customer__id", "who__username", "page"]
    date_hierarchy = "at"
    ordering = ["-at", "-id"]
    show_full_result_count = False


# An event's data holds the addresses its mail went to or came from ("to", "from"): admins
# (superusers) see it; other people with the admin's view permission on events do not.
admin.site.unregister(Event)


@admin.register(Event)
class EventAdmin(cases_admin.EventAdmin):
    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded if request.user.is_superuser else [*excluded, "data"]
