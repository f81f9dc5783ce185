"""The "show" on a masked contact detail (rule 15): the whole value for someone entitled,
with its access-log row; a plain 403 for anyone else."""

from django.http import HttpResponse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from relaydesk.cases.models import Case, Customer, id_from_ref
from relaydesk.privacy.log import reveal
from relaydesk.web.access import staff_required, text_param

FIELDS = ("email", "phone")
NOT_ENTITLED = "Only the case's owner, leads, executives and admins see this."


@staff_required
@require_POST
def reveal_contact(request):
    field = text_param(request.GET.get("field"))
    raw_id = text_param(request.GET.get("customer"))
    if field not in FIELDS or not raw_id.isdigit() or len(raw_id) > 18:
        return HttpResponse("Ask for a customer's email or phone.", status=400)
    customer = Customer.objects.filter(pk=int(raw_id)).first()
    case = None
    ref = text_param(request.GET.get("case"))
    if ref:
        case_id = id_from_ref(ref)
        case = Case.objects.filter(pk=case_id).first() if case_id is not None else None
        if case is None:
            return HttpResponse("There is no such case.", status=404)
    if customer is None:
        return HttpResponse("There is no such customer.", status=404)
    contact = reveal(request.user, customer, page=request.get_full_path(), case=case)
    if contact is None:
        return HttpResponse(NOT_ENTITLED, status=403)
    shown = format_html(
        '<span class="whole" data-testid="whole-{}">{}</span>', field, getattr(contact, field)
    )
    return HttpResponse(shown)
