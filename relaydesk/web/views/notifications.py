"""The bell's page: lines grouped by case, unread first; marking read is a POST."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from relaydesk.cases.models import id_from_ref
from relaydesk.web.access import lookup_or_404, staff_required
from relaydesk.web.header import header_facts
from relaydesk.web.notifications import OTHER, groups_for, mark_read

LIST_TARGET = "notification-list"
ALL = "all"


def _render(request, status: int = 200):
    template = "web/notifications.html"
    context: dict = {"groups": groups_for(request.user)}
    if request.htmx and request.htmx.target == LIST_TARGET:
        template = f"{template}#{LIST_TARGET}"
        context["bell"] = header_facts(request.user)  # the header's count, swapped in too
    return render(request, template, context, status=status)


@staff_required
def notification_list(request):
    return _render(request)


@staff_required
@require_POST
def mark_notifications_read(request):
    """`group` is "all", "other" (the lines about no case) or a case's reference."""
    group = lookup_or_404(request.POST.get("group"))
    if group == ALL:
        mark_read(request.user)
    elif group == OTHER:
        mark_read(request.user, other=True)
    else:
        case_id = id_from_ref(group)
        if case_id is None:
            raise Http404("No such case.")
        mark_read(request.user, case_id=case_id)
    if request.htmx:
        return _render(request)
    return redirect("/notifications/", permanent=False)
