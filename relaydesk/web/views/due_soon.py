"""The "due soon" page for leads."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from relaydesk.clock.due_soon import WINDOW, due_soon
from relaydesk.org.company import company_time_zone
from relaydesk.org.permissions import is_lead
from relaydesk.timekeeping import now


@login_required
def due_soon_page(request):
    if not is_lead(request.user):
        return render(
            request,
            "web/not_a_lead.html",
            {"reason": "The due-soon list is for leads, executives and admins."},
            status=403,
        )
    moment = now()
    groups, total = due_soon(moment)
    context = {
        "groups": groups,
        "total": total,
        "shown": sum(len(group.cases) for group in groups),
        "window_hours": int(WINDOW.total_seconds() // 3600),
        "time_zone": company_time_zone(),
    }
    return render(request, "web/due_soon.html", context)
