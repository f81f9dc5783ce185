"""Dismissing and merging from the case page: dismiss a case that is no customer problem,
merge it into the case that is kept, and merge its customer into another who is the same
person. Thin views over cases.actions; the forms are in the case page's merging partial
(web/_merging_case.html, through the `merging_forms` tag)."""

from django import forms
from django.views.decorators.http import require_POST

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Case, DismissReason, id_from_ref
from relaydesk.web.access import get_case_for, staff_required
from relaydesk.web.views.case import _done, _refused, _render_case

REF_HELP = "Its reference, like RD-1042."


class DismissForm(forms.Form):
    reason = forms.ChoiceField(label="Why dismiss it", choices=DismissReason.choices)
    note = forms.CharField(
        label="Note for colleagues",
        required=False,
        max_length=actions.MAX_NOTE,
        help_text="Needed unless it is spam or a test. The customer is not told.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(forms.Form):
    into = forms.CharField(label="Keep case", max_length=40, help_text=REF_HELP)


class CustomerMergeForm(forms.Form):
    into = forms.CharField(
        label="Same person as the customer of case", max_length=40, help_text=REF_HELP
    )


def _case_named(form: forms.Form) -> Case | None:
    """The case the form's `into` names; a field error when there is none."""
    ref = form.cleaned_data["into"]
    case_id = id_from_ref(ref)
    found = Case.objects.select_related("customer").filter(pk=case_id).first() if case_id else None
    if found is None:
        form.add_error("into", f"There is no case {ref.strip()[:40]}.")
    return found


@staff_required
@require_POST
def dismiss(request, ref):
    case = get_case_for(request.user, ref)
    form = DismissForm(request.POST, prefix="dismiss")
    if not form.is_valid():
        return _render_case(request, case, status=422, dismiss_form=form, open_form="dismiss")
    try:
        actions.dismiss(case, acting=request.user, **form.cleaned_data)
    except DomainError as error:
        return _refused(request, case, error, form, "dismiss")
    return _done(request, case, f"{case.ref} is dismissed; staff can reopen it.")


@staff_required
@require_POST
def merge_case(request, ref):
    case = get_case_for(request.user, ref)
    form = MergeForm(request.POST, prefix="merge")
    kept = _case_named(form) if form.is_valid() else None
    if kept is None:
        return _render_case(request, case, status=422, merge_form=form, open_form="merge")
    try:
        kept = actions.merge_cases(case, into=kept, acting=request.user)
    except DomainError as error:
        return _refused(request, case, error, form, "merge")
    return _done(request, case, f"{case.ref} is merged into {kept.ref}.")


@staff_required
@require_POST
def merge_customer(request, ref):
    case = get_case_for(request.user, ref)
    form = CustomerMergeForm(request.POST, prefix="customer_merge")
    other = _case_named(form) if form.is_valid() else None
    if other is None:
        extra = {"customer_merge_form": form, "open_form": "customer_merge"}
        return _render_case(request, case, status=422, **extra)
    try:
        kept = actions.merge_customers(case.customer, into=other.customer, acting=request.user)
    except DomainError as error:
        return _refused(request, case, error, form, "customer_merge")
    return _done(request, case, f"{case.customer.name} is merged into {kept.name}.")
