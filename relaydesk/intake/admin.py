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
