"""The admin's staff page: org's StaffAdmin (joining, tier changes) with letting someone go and
taking them back, which pass cases on and revoke tokens: rooms above org, so registered here."""

from django.contrib import admin, messages

from relaydesk.cases.errors import DomainError
from relaydesk.org import actions
from relaydesk.org.admin import StaffAdmin
from relaydesk.org.models import Staff
from relaydesk.setup import letting_go


@admin.register(Staff)
class PeopleAdmin(StaffAdmin):
    actions = ["let_go", "take_back"]

    @admin.action(description="Let go: pass their open cases on, then deactivate them")
    def let_go(self, request, queryset) -> None:
        for staff in queryset.select_related("user", "tier"):
            try:
                handed_on = letting_go.let_go(staff, acting=request.user)
            except DomainError as refused:
                self.message_user(request, refused.message, messages.ERROR)
                continue
            self.message_user(
                request,
                f"{staff.display_name} has left; {len(handed_on)} open case(s) passed on.",
                messages.SUCCESS,
            )

    @admin.action(description="Take back: active again (off duty until put on)")
    def take_back(self, request, queryset) -> None:
        for staff in queryset.filter(active=False).select_related("user"):
            try:
                actions.reactivate(staff, acting=request.user)
            except actions.StaffChangeRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
                continue
            self.message_user(request, f"{staff.display_name} is back.", messages.SUCCESS)
