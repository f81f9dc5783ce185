"""The admin's view of cases and events: for looking, never for changing.

A case changes only through relaydesk.cases.actions (the staff pages, the API, the worker), so
the admin shows cases read-only, and events, the history, can be neither added, changed nor
deleted here. Customer details are left out: looking at them belongs to the case page, where
every look is logged.
"""

from django.contrib import admin

from relaydesk.cases.models import Case, Event, id_from_ref


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = Event
    fields = readonly_fields = ("at", "kind", "actor", "from_owner", "to_owner", "reason", "body")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = [
        "ref",
        "subject",
        "status",
        "category",
        "owner",
        "tier",
        "deadline",
        "realtime",
        "escalated",
    ]
    list_filter = ["status", "tier", "category", "realtime", "escalated", "channel"]
    list_select_related = ["owner", "tier", "category"]
    search_fields = ["subject"]
    date_hierarchy = "opened_at"
    ordering = ["-id"]
    exclude = ["customer", "details", "real_need", "reply_secret"]
    inlines = [EventInline]
    show_full_result_count = False  # no COUNT(*) over every case on each page

    @admin.display(description="Reference", ordering="id")
    def ref(self, case: Case) -> str:
        return case.ref

    def get_search_results(self, request, queryset, search_term):
        case_id = id_from_ref(search_term)
        if case_id is not None:
            return queryset.filter(pk=case_id), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["at", "case", "kind", "actor", "from_owner", "to_owner", "reason"]
    list_filter = ["kind"]
    list_select_related = ["case", "actor", "from_owner", "to_owner"]
    date_hierarchy = "at"
    ordering = ["-at", "-id"]
    show_full_result_count = False
