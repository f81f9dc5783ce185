"""The admin for what the company handles: categories with their intake fields and triggers."""

from django.contrib import admin

from relaydesk.intake.models import Category, IntakeField, RealtimeTrigger


def minutes_in_words(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
    return "".join(parts) or "0m"


class IntakeFieldInline(admin.TabularInline):
    model = IntakeField
    fields = ["position", "key", "label", "type", "required", "choices", "help_text"]
    extra = 0


class RealtimeTriggerInline(admin.TabularInline):
    model = RealtimeTrigger
    fields = ["position", "key", "question"]
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "solve_window", "tickle_after", "active", "position"]
    list_editable = ["active", "position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "solve_window_minutes", "tickle_after_minutes", "active", "position"]
    inlines = [IntakeFieldInline, RealtimeTriggerInline]

    @admin.display(description="Solve window", ordering="solve_window_minutes")
    def solve_window(self, category: Category) -> str:
        return minutes_in_words(category.solve_window_minutes)

    @admin.display(description="Tickle after", ordering="tickle_after_minutes")
    def tickle_after(self, category: Category) -> str:
        return minutes_in_words(category.tickle_after_minutes)


# Email in (appended by the mail room): where mail lands, rules, the raw store, the quarantine.
from relaydesk.intake.models import (  # noqa: E402 - the mail room's models, appended below b's
    Attachment,
    MailRule,
    Quarantine,
    QuarantineAudit,
    RawMessage,
)

CategoryAdmin.fields = [*CategoryAdmin.fields, "mail_address"]  # mail to it opens cases here


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
