"""The admin for problems: the root causes cases are linked to (the second fix).

Problems are opened, owned, marked fixed and reopened through relaydesk.problems.actions (the
problems pages and the API), which write their history; here only the words can be corrected.
"""

from django.contrib import admin
from django.db.models import Count

from relaydesk.problems.models import Problem


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "owner", "case_count", "created_at", "fixed_at"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    fields = [
        "title",
        "description",
        "status",
        "owner",
        "fixed_at",
        "fixed_note",
        "came_back_at",
        "created_at",
        "created_by",
    ]
    readonly_fields = [
        "status",
        "owner",
        "fixed_at",
        "fixed_note",
        "came_back_at",
        "created_at",
        "created_by",
    ]

    def has_add_permission(self, request) -> bool:
        return False  # opened on the problems page or the API, with its history

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # cases and the problem's history point at it

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("owner")
        return queryset.annotate(case_count=Count("cases"))

    @admin.display(description="Cases", ordering="case_count")
    def case_count(self, problem: Problem) -> int:
        return problem.case_count  # type: ignore[attr-defined]  # annotated by get_queryset
