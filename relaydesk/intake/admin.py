"""The admin for the mail room: mail rules, the raw store, attachments and the quarantine."""

from django.contrib import admin

from relaydesk.cases.models import Attachment
from relaydesk.intake.models import MailRule, Quarantine, QuarantineAudit, RawMessage


@admin.register(MailRule)
class MailRuleAdmin(admin.ModelAdmin):
    list_display = ["position", "field", "text", "category"]
    list_editable = ["field", "text", "category"]
    list_display_links = ["position"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """What arrived is evidence: it is looked at here, never edited or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RawMessage)
class RawMessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "received_at", "source", "sender", "subject", "state", "outcome", "case"]
    list_filter = ["state", "outcome", "source"]
    search_fields = ["sender", "subject", "message_id"]
    exclude = ["raw"]
    list_select_related = ["case"]


@admin.register(Quarantine)
class QuarantineAdmin(ReadOnlyAdmin):
    list_display = ["id", "received_at", "sender", "subject", "reason", "status"]
    list_filter = ["status"]
    search_fields = ["sender", "subject", "reason"]


@admin.register(QuarantineAudit)
class QuarantineAuditAdmin(ReadOnlyAdmin):
    list_display = ["at", "quarantine", "action", "actor", "note"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "original_name", "content_type", "size", "case", "created_at"]
    search_fields = ["original_name"]
