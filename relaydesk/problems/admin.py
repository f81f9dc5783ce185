"""The admin for problems: the root causes cases are linked to (the second fix)."""

from django.contrib import admin
from django.db.models import Count

from relaydesk.problems.models import Problem
from relaydesk.timekeeping import now


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ["title", "case_count", "created_at", "fixed_at"]
    list_filter = ["fixed_at"]
    search_fields = ["title", "description"]
    readonly_fields = ["created_at", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_at = now()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_count=Count("cases"))

    @admin.display(description="Cases", ordering="case_count")
    def case_count(self, problem: Problem) -> int:
        return problem.case_count  # type: ignore[attr-defined]  # annotated by get_queryset
