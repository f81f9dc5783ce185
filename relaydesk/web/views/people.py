"""People: the staff directory by tier, and each person's open cases."""

from django.shortcuts import get_object_or_404, render

from relaydesk.org.models import Staff
from relaydesk.web import queries
from relaydesk.web.access import lookup_or_404, staff_required


@staff_required
def directory(request):
    return render(request, "web/people.html", {"groups": queries.people_by_tier()})


@staff_required
def person(request, username):
    staff = get_object_or_404(
        Staff.objects.select_related("user", "tier", "lead__user"),
        user__username=lookup_or_404(username),
    )
    number = queries.page_number(request.GET.get("page"))
    context = {
        "person": staff,
        "page": queries.open_cases_of(staff.user, number),
        "counts": queries.my_counts(staff.user),
        "history": list(staff.tier_history.select_related("tier").order_by("-since")[:20]),
        "delighted": queries.delighted_customers(staff.user),
    }
    return render(request, "web/person.html", context)
