"""Goodwill on the staff pages (rule 13): give on a case, approve or decline a waiting gesture
(from the case page or the goodwill page), and the goodwill page for leads.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relaydesk.cases.errors import DomainError
from relaydesk.goodwill.actions import approve_goodwill, decline_goodwill, give_goodwill
from relaydesk.goodwill.budget import Month, budget_for
from relaydesk.goodwill.ledger import goodwill_in_month, waiting_for_approval
from relaydesk.goodwill.models import Gesture
from relaydesk.org.permissions import is_lead
from relaydesk.timekeeping import now
from relaydesk.web.access import get_case_for, staff_of_request, staff_required
from relaydesk.web.goodwill import DeclineForm, GoodwillForm, may_decide
from relaydesk.web.views.case import _done, _render_case


def _gesture_or_404(gesture_id: int) -> Gesture:
    gesture = Gesture.objects.select_related("case").filter(pk=gesture_id).first()
    if gesture is None:
        raise Http404("No such gesture.")
    return gesture


@staff_required
@require_POST
def give(request, ref):
    case = get_case_for(request.user, ref)
    form = GoodwillForm(request.POST, prefix="goodwill")
    if not form.is_valid():
        return _render_case(request, case, status=422, goodwill_form=form, open_form="goodwill")
    try:
        gesture = give_goodwill(case, acting=request.user, **form.cleaned_data)
    except DomainError as error:
        for key, message in error.fields.items():
            if key in form.fields and key not in form.errors:
                form.add_error(key, message)
        extra = {"error": error.message, "goodwill_form": form, "open_form": "goodwill"}
        return _render_case(request, case, status=error.http_status, **extra)
    if gesture.is_pending:
        return _done(request, case, "Above your limit: the gesture waits for approval.")
    return _done(request, case, "Goodwill given.")


def _decided(request, gesture: Gesture, sentence: str, *, error: DomainError | None = None):
    """Back where the decision was taken: the case page, or the goodwill page."""
    if request.POST.get("from") == "page":
        if error is not None:
            messages.error(request, error.message)
        else:
            messages.success(request, sentence)
        return redirect("/goodwill/")
    case = get_case_for(request.user, gesture.case.ref)
    if error is not None:
        return _render_case(request, case, status=error.http_status, error=error.message)
    return _done(request, case, sentence)


@staff_required
@require_POST
def approve(request, gesture_id):
    gesture = _gesture_or_404(gesture_id)
    try:
        approve_goodwill(gesture, acting=request.user)
    except DomainError as error:
        return _decided(request, gesture, "", error=error)
    return _decided(request, gesture, f"Goodwill on {gesture.case.ref} approved.")


@staff_required
@require_POST
def decline(request, gesture_id):
    gesture = _gesture_or_404(gesture_id)
    form = DeclineForm(request.POST)
    why = form.data.get("why", "") if not form.is_valid() else form.cleaned_data["why"]
    try:
        decline_goodwill(gesture, acting=request.user, why=why)
    except DomainError as error:
        return _decided(request, gesture, "", error=error)
    return _decided(request, gesture, f"Goodwill on {gesture.case.ref} declined.")


@staff_required
def goodwill_page(request):
    """Leads: this month's gestures (by whom, kind, value, what followed), what waits for
    approval and what is left of the budget; `?month=YYYY-MM` for another month."""
    if not is_lead(request.user):
        return render(
            request,
            "web/not_a_lead.html",
            {"reason": "The goodwill page is for leads, executives and admins."},
            status=403,
        )
    zone = timezone.get_current_timezone_name()  # the company's (the middleware's)
    try:
        month = Month.parse(request.GET["month"]) if request.GET.get("month") else None
    except DomainError:
        raise Http404("Write the month as YYYY-MM.") from None
    month = month or Month.of(now(), zone)
    staff = staff_of_request(request.user)
    waiting = list(waiting_for_approval())
    for gesture in waiting:
        gesture.may_decide = may_decide(staff, gesture) or request.user.is_superuser  # type: ignore[attr-defined]
    gestures = list(goodwill_in_month(month, zone=zone))
    context = {
        "month": month,
        "previous": Month(month.year - (month.month == 1), (month.month - 2) % 12 + 1),
        "following": Month(month.year + (month.month == 12), month.month % 12 + 1),
        "budget": budget_for(month, zone=zone),
        "gestures": gestures,
        "waiting": waiting,
        "by_person": _by_person(gestures),
    }
    return render(request, "web/goodwill.html", context)


def _by_person(gestures: list[Gesture]) -> list[dict]:
    """Who gave how much this month, most first."""
    people: dict[int, dict] = {}
    for gesture in gestures:
        person = people.setdefault(
            gesture.given_by_id,
            {
                "name": gesture.given_by.get_full_name() or gesture.given_by.username,
                "count": 0,
                "value": 0,
            },
        )
        person["count"] += 1
        person["value"] += gesture.value
    return sorted(people.values(), key=lambda p: (-p["value"], p["name"]))
