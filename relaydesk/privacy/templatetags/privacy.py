"""Contact details in templates, masked by default (rule 15).

    {% load privacy %}
    {{ customer.email|mask_email }}  {{ customer.phone|mask_phone }}
    {{ line.text|mask_addresses }}            every address in a free text masked
    {% contact customer "email" %}            masked, with "show" for leads, executives, admins
    {% contact customer "phone" case=case %}  masked, with "show" for them and the case's owner

"show" asks /privacy/reveal/ (htmx POST), which answers the whole value and writes the access
log; the button is only drawn for someone entitled, and the view checks again.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from relaydesk.cases.models import Case, Customer
from relaydesk.privacy import masking
from relaydesk.privacy.grounds import ground_for

register = template.Library()

register.filter("mask_email", masking.mask_email)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_addresses", masking.mask_addresses)

_MASKS = {"email": masking.mask_email, "phone": masking.mask_phone}


@register.simple_tag(takes_context=True)
def contact(context, customer: Customer, field: str, case: Case | None = None, empty: str = "—"):
    if field not in _MASKS:
        raise template.TemplateSyntaxError(f"contact: field must be email or phone, not {field!r}")
    value = getattr(customer, field)
    if not value:
        return empty
    shown = _MASKS[field](value)
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or ground_for(user, case) is None:
        return format_html('<span class="masked" data-testid="masked-{}">{}</span>', field, shown)
    query = f"?customer={customer.pk}&field={field}" + (f"&case={case.ref}" if case else "")
    return format_html(
        '<span class="masked" data-testid="masked-{}">{} <button type="button" class="link small"'
        ' hx-post="{}{}" hx-target="closest span" hx-swap="outerHTML"'
        ' data-testid="show-{}">show</button></span>',
        field,
        shown,
        reverse("privacy-reveal"),
        query,
        field,
    )
