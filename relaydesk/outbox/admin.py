"""The outbox in the admin: what was sent, what waits, what failed and why."""

from django.contrib import admin, messages

from relaydesk.outbox.models import OutgoingMail
from relaydesk.timekeeping import now


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "automatic"]
    search_fields = ["to", "subject", "message_id"]
    date_hierarchy = "created_at"
    list_select_related = ["case"]
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False  # mail is queued by actions, never typed in

    @admin.action(description="Send the chosen failed mails again")
    def send_again(self, request, queryset):
        count = queryset.filter(status=OutgoingMail.Status.FAILED).update(
            status=OutgoingMail.Status.QUEUED, attempts=0, next_attempt_at=now()
        )
        self.message_user(request, f"{count} failed mails queued again.", messages.SUCCESS)
