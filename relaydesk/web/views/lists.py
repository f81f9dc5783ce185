"""My cases and the tier queue: the two lists a support person lives in."""

from django.shortcuts import get_object_or_404, render

from relaydesk.org.models import Tier
from relaydesk.web import queries
from relaydesk.web.access import lookup_or_404, staff_of_request, staff_required


@staff_required
def my_cases(request):
    number = queries.page_number(request.GET.get("page"))
    context = {
        "page": queries.my_cases(request.user, number),
        "counts": queries.my_counts(request.user),
    }
    return render(request, "web/my_cases.html", context)


@staff_required
def queue(request):
    staff = staff_of_request(request.user)
    tiers = list(queries.queue_tiers(staff))
    chosen = None
    if request.GET.get("tier"):
        slug = lookup_or_404(request.GET["tier"])
        chosen = get_object_or_404(Tier, slug=slug, pk__in=[t.pk for t in tiers])
    number = queries.page_number(request.GET.get("page"))
    context = {
        "page": queries.tier_queue(request.user, [chosen] if chosen else tiers, number=number),
        "tiers": tiers,
        "chosen": chosen,
        # The row partial asks for these after a take; given here, the 50 rows of a page do
        # not each look them up and miss (a miss costs the template engine an exception).
        "taken": False,
        "error": "",
    }
    return render(request, "web/queue.html", context)
