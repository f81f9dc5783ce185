from django.shortcuts import render

from relaydesk.web.access import staff_required
from relaydesk.web.notifications import latest_for, mark_read


@staff_required
def notification_list(request):
    items = latest_for(request.user)
    mark_read(request.user)  # the list above still shows which ones were new
    return render(request, "web/notifications.html", {"items": items})
