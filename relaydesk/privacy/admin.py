"""The admin's view of a customer: their details and their access log (rule 15), read-only.

Admins (superusers) only: a customer's contact details are shown whole to them, and this
page is itself a whole view, so it writes its own log row.
"""

from django.contrib import admin

from relaydesk.cases import admin as cases_admin
from relaydesk.cases.models import Case, Customer, Event, EventKind
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


# Events whose body is the customer's own words (what they wrote, survey words, a mail
# attached, a duplicate's words merged in, a reopening by them): admins only, like the data.
CUSTOMERS_WORDS = {
    EventKind.CUSTOMER_WROTE,
    EventKind.MAIL_ATTACHED,
    EventKind.SURVEY,
    EventKind.MERGED_FROM,
}
WORDS_HIDDEN = "(the customer's words: for admins only)"


def in_customers_words(event: Event) -> bool:
    if event.kind in CUSTOMERS_WORDS:
        return True
    return event.kind == EventKind.REOPENED and (event.data or {}).get("by") == "customer"


@admin.register(Event)
class EventAdmin(cases_admin.EventAdmin):
    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        if request.user.is_superuser:
            return excluded
        hidden = ["data", "body"] if obj is not None and in_customers_words(obj) else ["data"]
        return [*excluded, *hidden]


class EventInline(cases_admin.EventInline):
    """The case's events, their customers' words replaced for everyone but admins."""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return ["words" if name == "body" else name for name in fields]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="Body")
    def words(self, event: Event) -> str:
        return WORDS_HIDDEN if in_customers_words(event) else event.body


admin.site.unregister(Case)


@admin.register(Case)
class CaseAdmin(cases_admin.CaseAdmin):
    inlines = [EventInline]
