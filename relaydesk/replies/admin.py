"""The admin for the phrase library: every phrase (company-wide and personal) and its uses."""

from django.contrib import admin
from django.db.models import Count

from relaydesk.replies.models import Phrase, PhraseUse
from relaydesk.replies.phrases import tag_text
from relaydesk.timekeeping import now


class CompanyWideFilter(admin.SimpleListFilter):
    title = "whose"
    parameter_name = "whose"

    def lookups(self, request, model_admin):
        return [("company", "Company-wide"), ("personal", "Personal")]

    def queryset(self, request, queryset):
        if self.value() == "company":
            return queryset.filter(owner__isnull=True)
        if self.value() == "personal":
            return queryset.filter(owner__isnull=False)
        return queryset


@admin.register(Phrase)
class PhraseAdmin(admin.ModelAdmin):
    list_display = ["title", "principle", "owner", "tags", "use_count", "updated_at"]
    list_filter = ["principle", CompanyWideFilter]
    search_fields = ["title", "text", "tags"]
    readonly_fields = ["created_at", "updated_at"]
    raw_id_fields = ["owner"]

    def save_model(self, request, obj, form, change):
        moment = now()
        if not change:
            obj.created_at = moment
        obj.updated_at = moment
        obj.tags = tag_text(obj.tags)
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(use_count=Count("uses"))

    @admin.display(description="Uses", ordering="use_count")
    def use_count(self, phrase: Phrase) -> int:
        return phrase.use_count  # type: ignore[attr-defined]  # annotated by get_queryset


@admin.register(PhraseUse)
class PhraseUseAdmin(admin.ModelAdmin):
    """Uses are facts for the trail: read here, written only when a reply is sent."""

    list_display = ["used_at", "phrase", "principle", "used_by", "case"]
    list_filter = ["principle"]
    list_select_related = ["phrase", "used_by", "case"]
    date_hierarchy = "used_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
