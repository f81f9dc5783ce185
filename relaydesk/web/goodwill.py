"""The goodwill on a case page (rule 13): its gestures, the give form and what is left of the
month's budget. The page's events are already read, so a case without goodwill costs no query;
the budget is read only for the owner, who sees the form."""

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from relaydesk.cases.actions import MAX_NOTE
from relaydesk.cases.models import Case, EventKind, Status
from relaydesk.goodwill.actions import MAX_NOTE as MAX_GOODWILL_NOTE
from relaydesk.goodwill.budget import Month, budget_for
from relaydesk.goodwill.ledger import on_case
from relaydesk.goodwill.models import Gesture, Kind
from relaydesk.org.models import Staff
from relaydesk.timekeeping import now
from relaydesk.web.access import staff_of_request
from relaydesk.web.timeline import EventRow


class GoodwillForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=[("", "Choose…"), *Kind.choices])
    value = forms.CharField(
        label="Value",
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label="Note",
        max_length=MAX_GOODWILL_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What it is for; the customer's words, if they asked.",
    )


class DeclineForm(forms.Form):
    why = forms.CharField(label="Why not", max_length=MAX_NOTE)


def may_decide(staff: Staff | None, gesture: Gesture) -> bool:
    """A hint for the buttons (goodwill.actions decides): someone above the giver's tier."""
    return (
        staff is not None
        and gesture.given_by_id != staff.user_id
        and staff.tier.rank > gesture.given_by_tier.rank
    )


def case_goodwill(user: User, case: Case, events: list[EventRow], form=None) -> dict:
    """The case page's goodwill context: `gestures` (each with `may_decide`), `goodwill_form`
    for the owner of a case that is not closed, and `goodwill_budget` (the month's) with it."""
    has_any = any(event.kind == EventKind.GOODWILL for event in events)
    gestures = on_case(case.pk) if has_any else []
    staff = staff_of_request(user)
    for gesture in gestures:
        gesture.may_decide = gesture.is_pending and may_decide(staff, gesture)  # type: ignore[attr-defined]
    context: dict = {"gestures": gestures}
    if case.owner_id == user.pk and case.status != Status.CLOSED:
        zone = timezone.get_current_timezone_name()  # the company's (the middleware's)
        context["goodwill_form"] = form or GoodwillForm(prefix="goodwill")
        context["goodwill_budget"] = budget_for(Month.of(now(), zone), zone=zone)
    return context
