"""The admin for the company itself: tiers, staff, rotas, categories. Everything the company
file sets."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join

from relaydesk.org import actions, customer_words
from relaydesk.org.models import (
    Category,
    Company,
    CustomerWords,
    ExecutiveRota,
    IntakeField,
    RealtimeTrigger,
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


class CustomerWordsForm(forms.ModelForm):
    """A text the customer reads, checked as the company file checks it (a field error)."""

    name = forms.ChoiceField(
        choices=[
            (text.name, f"{text.name}: {text.where}") for text in customer_words.TEXTS.values()
        ]
    )

    class Meta:
        model = CustomerWords
        fields = ["name", "text"]

    def clean(self):
        cleaned = super().clean() or {}
        name, text = cleaned.get("name"), cleaned.get("text")
        if name and text is not None:
            for problem in customer_words.problems(name, text):
                self.add_error("text", problem)
        return cleaned


@admin.register(CustomerWords)
class CustomerWordsAdmin(admin.ModelAdmin):
    """The company's own words for what the customer reads; a text without a row reads ours
    (delete the row to go back to it). A new row starts from our words for the text asked
    for (`?name=acknowledgement`)."""

    form = CustomerWordsForm
    list_display = ["name", "where", "text"]
    readonly_fields = ["placeholders"]
    fields = ["name", "text", "placeholders"]

    @admin.display(description="Read in")
    def where(self, row: CustomerWords) -> str:
        text = customer_words.TEXTS.get(row.name)
        return text.where if text else ""

    @admin.display(description="Placeholders and our words")
    def placeholders(self, row: CustomerWords | None) -> str:
        texts = customer_words.TEXTS
        shown = [texts[row.name]] if row is not None and row.name in texts else texts.values()
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "",
                "<dt>{}</dt><dd>may use {}{}</dd><dd><pre>{}</pre></dd>",
                (
                    (
                        text.name,
                        customer_words.listed(text.placeholders),
                        f"; must use {customer_words.listed(text.must_use)}"
                        if text.must_use
                        else "",
                        text.default,
                    )
                    for text in shown
                ),
            ),
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        text = customer_words.TEXTS.get(str(initial.get("name", "")))
        if text is not None:
            initial.setdefault("text", text.default)
        return initial


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


# Registered by relaydesk.setup.admin, which adds letting someone go: their open cases are
# passed on first (relaydesk.cases.leaving), and cases are above org.
class StaffAdmin(admin.ModelAdmin):
    """Joining and tier changes go through org.actions, so the tier history has a dated line
    for each; `active` changes only by letting someone go or taking them back (the actions)."""

    list_display = ["display_name", "username", "tier", "lead", "on_duty", "active"]
    list_filter = ["tier", "on_duty", "active", "realtime_handler"]
    list_editable = ["on_duty"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user", "tier", "lead__user"]
    autocomplete_fields = ["user", "lead"]
    filter_horizontal = ["skills"]
    readonly_fields = ["active"]
    inlines = [TierHistoryInline]

    @admin.display(ordering="user__username")
    def username(self, staff: Staff) -> str:
        return staff.user.username

    def save_model(self, request, obj, form, change):
        if not change:
            actions.join(obj, acting=request.user)
            return
        if "tier" not in form.changed_data:
            super().save_model(request, obj, form, change)
            return
        tier = obj.tier
        obj.tier_id = form.initial["tier"]  # the other fields now; the tier through its action
        super().save_model(request, obj, form, change)
        actions.change_tier(obj, tier, acting=request.user)


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


# Categories: what the company handles, with their intake fields and realtime triggers.
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
    fields = ["position", "key", "question", "customer_question"]
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "solve_window", "tickle_after", "active", "position"]
    list_editable = ["active", "position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "solve_window_minutes",
        "tickle_after_minutes",
        "active",
        "position",
        "mail_address",  # mail to it opens cases here
    ]
    inlines = [IntakeFieldInline, RealtimeTriggerInline]

    @admin.display(description="Solve window", ordering="solve_window_minutes")
    def solve_window(self, category: Category) -> str:
        return minutes_in_words(category.solve_window_minutes)

    @admin.display(description="Tickle after", ordering="tickle_after_minutes")
    def tickle_after(self, category: Category) -> str:
        return minutes_in_words(category.tickle_after_minutes)
