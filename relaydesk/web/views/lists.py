"""My cases and the tier queue: the two lists a support person lives in."""

from urllib.parse import urlencode

from django.http import QueryDict
from django.shortcuts import get_object_or_404, render

from relaydesk.cases.models import Status
from relaydesk.org.models import Category, Tier
from relaydesk.web import queries
from relaydesk.web.access import lookup_or_404, staff_of_request, staff_required

STATUSES = {
    "open": Status.OPEN,
    "solved": Status.SOLVED,
    "closed": Status.CLOSED,
    "dismissed": Status.DISMISSED,  # no customer problem (cases.dismissal)
    "merged": Status.MERGED,  # duplicates merged into a kept case (cases.merging)
}
REALTIME = {"yes": True, "no": False}
LIST_TARGET = "case-list"  # the element the filter form swaps with htmx


def _filters(params: QueryDict) -> queries.Filters:
    """The list's filters from the query string; an unknown status or realtime value shows
    the default (open, both), an unknown category is a 404 like an unknown tier."""
    category = None
    if params.get("category"):
        category = get_object_or_404(Category, slug=lookup_or_404(params.get("category")))
    return queries.Filters(
        status=STATUSES.get(params.get("status", ""), Status.OPEN),
        category=category,
        realtime=REALTIME.get(params.get("realtime", "")),
    )


def _realtime_word(realtime: bool | None) -> str:
    return "" if realtime is None else "yes" if realtime else "no"


def _query(filters: queries.Filters, tier: Tier | None = None) -> str:
    """The filters as a query string, for the pager's links (empty for the default list)."""
    pairs = {
        "tier": tier.slug if tier else "",
        "category": filters.category.slug if filters.category else "",
        "realtime": _realtime_word(filters.realtime),
        "status": "" if filters.open else filters.status,
    }
    return urlencode({key: value for key, value in pairs.items() if value})


def _render_list(request, template: str, context: dict):
    if request.htmx and request.htmx.target == LIST_TARGET:
        template = f"{template}#{LIST_TARGET}"
    return render(request, template, context)


def _filter_context(filters: queries.Filters) -> dict:
    return {
        "filters": filters,
        "categories": Category.objects.order_by("position", "name").only("slug", "name"),
        "realtime_choice": _realtime_word(filters.realtime),
    }


@staff_required
def my_cases(request):
    number = queries.page_number(request.GET.get("page"))
    filters = _filters(request.GET)
    context = {
        "page": queries.my_cases(request.user, number, filters),
        "counts": queries.my_counts(request.user),
        "list_query": _query(filters),
        **_filter_context(filters),
    }
    return _render_list(request, "web/my_cases.html", context)


@staff_required
def queue(request):
    staff = staff_of_request(request.user)
    tiers = list(queries.queue_tiers(staff))
    chosen = None
    if request.GET.get("tier"):
        slug = lookup_or_404(request.GET["tier"])
        chosen = get_object_or_404(Tier, slug=slug, pk__in=[t.pk for t in tiers])
    number = queries.page_number(request.GET.get("page"))
    filters = _filters(request.GET)
    context = {
        "page": queries.tier_queue(
            request.user, [chosen] if chosen else tiers, number=number, filters=filters
        ),
        "tiers": tiers,
        "chosen": chosen,
        "list_query": _query(filters, chosen),
        **_filter_context(filters),
        # The row partial asks for these after a take; given here, the 50 rows of a page do
        # not each look them up and miss (a miss costs the template engine an exception).
        "taken": False,
        "error": "",
    }
    return _render_list(request, "web/queue.html", context)
