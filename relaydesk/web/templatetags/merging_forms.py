"""`{% merging_forms %}`: the case page's dismiss and merge partial (web/_merging_case.html),
with the forms a refused attempt came back with (relaydesk.web.views.merging)."""

from django import template

from relaydesk.cases.dismissal import may_end
from relaydesk.cases.models import ref_for
from relaydesk.web.views.merging import CustomerMergeForm, DismissForm, MergeForm

register = template.Library()


@register.inclusion_tag("web/_merging_case.html", takes_context=True)
def merging_forms(context):
    """The owner's (or a lead's) forms on an open case; a merged case's kept case. No query
    for the owner: may_end asks whether the person leads only when it is not their case."""
    case, user = context["case"], context["request"].user
    forms_shown = case.is_open and may_end(user, case)
    return {
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "open_form": context.get("open_form", ""),
        "forms_shown": forms_shown,
        "kept_ref": ref_for(case.merged_into_id) if case.merged_into_id else "",
        "also_known_as": [c.get("name", "") for c in case.customer.other_contacts],
        "dismiss_form": context.get("dismiss_form") or DismissForm(prefix="dismiss"),
        "merge_form": context.get("merge_form") or MergeForm(prefix="merge"),
        "customer_merge_form": (
            context.get("customer_merge_form") or CustomerMergeForm(prefix="customer_merge")
        ),
    }
