"""The admin for the company itself: tiers, staff, rotas. Everything the company file sets."""

from django.contrib import admin

from relaydesk.clock import now
from relaydesk.org.models import (
    Company,
    ExecutiveRota,
    Staff,
    Tier,
    TierHistory,
    WeeklyRotation,
    WeeklyRotationSlot,
)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone"]

    def has_add_permission(self, request):
        return not Company.objects.exists()  # one company per installation


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "rank"]
    ordering = ["rank"]
    prepopulated_fields = {"slug": ["name"]}


class TierHistoryInline(admin.TabularInline):
    """The career path is a record: it grows when the tier changes, never by hand."""

    model = TierHistory
    fields = ["tier", "since"]
    readonly_fields = ["tier", "since"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["display_name", "username", "tier", "lead", "on_duty", "active"]
    list_filter = ["tier", "on_duty", "active", "realtime_handler"]
    list_editable = ["on_duty"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user", "tier", "lead__user"]
    autocomplete_fields = ["user", "lead"]
    filter_horizontal = ["skills"]
    inlines = [TierHistoryInline]

    @admin.display(ordering="user__username")
    def username(self, staff: Staff) -> str:
        return staff.user.username

    def save_model(self, request, obj, form, change):
        tier_changed = not change or "tier" in form.changed_data
        super().save_model(request, obj, form, change)
        if tier_changed:
            TierHistory.objects.create(staff=obj, tier=obj.tier, since=now())


@admin.register(ExecutiveRota)
class ExecutiveRotaAdmin(admin.ModelAdmin):
    list_display = ["staff", "starts_on", "ends_on"]
    list_filter = ["staff"]
    date_hierarchy = "starts_on"
    list_select_related = ["staff__user"]


class WeeklyRotationSlotInline(admin.TabularInline):
    model = WeeklyRotationSlot
    extra = 1


@admin.register(WeeklyRotation)
class WeeklyRotationAdmin(admin.ModelAdmin):
    list_display = ["starts_on"]
    inlines = [WeeklyRotationSlotInline]
