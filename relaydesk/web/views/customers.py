"""A customer's page: who they are (contact details masked, rule 15) and all their cases."""

from django.shortcuts import get_object_or_404, redirect, render

from relaydesk.cases.models import Case, Customer
from relaydesk.web.access import staff_required

MAX_ID = 2**62  # larger ids cannot be looked up (the column holds 63 bits)
CASES_SHOWN = 500


def _owned_case(cases: list[Case], user_id: int) -> Case | None:
    """A case of theirs the viewer owns (open first): its owner may "show" the details."""
    mine = [case for case in cases if case.owner_id == user_id]
    return next((case for case in mine if case.is_open), mine[0] if mine else None)


@staff_required
def customer_page(request, customer_id: int):
    customer = get_object_or_404(Customer, pk=min(customer_id, MAX_ID))
    if customer.merged_into_id is not None:  # one person: their cases moved to the kept row
        return redirect(f"/customers/{customer.merged_into_id}/")
    rows = (
        Case.objects.filter(customer=customer)
        .select_related("owner", "category", "problem")
        .order_by("-opened_at", "-id")
    )
    cases = list(rows[: CASES_SHOWN + 1])
    context = {
        "customer": customer,
        "cases": cases[:CASES_SHOWN],
        "more": len(cases) > CASES_SHOWN,
        "open_count": sum(1 for case in cases if case.is_open),
        "owned": _owned_case(cases, request.user.pk),
    }
    return render(request, "web/customer.html", context)
