from django.contrib import admin

from relaydesk.goodwill.models import Gesture


@admin.register(Gesture)
class GestureAdmin(admin.ModelAdmin):
    """Read only: the ledger changes through relaydesk.goodwill.actions, with its events."""

    list_display = ("case", "kind", "value", "currency", "state", "given_by", "given_at")
    list_filter = ("state", "kind")
    date_hierarchy = "given_at"
    list_select_related = ("case", "given_by")
    raw_id_fields = ("case",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
