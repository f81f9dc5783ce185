"""The reply box's phrase picker: the phrases put into a reply that came back unsent."""

import re

from django import template

register = template.Library()

ID_RE = re.compile(r"[0-9]{1,18}")
MAX_KEPT = 20


@register.simple_tag(takes_context=True)
def phrases_kept(context) -> list[str]:
    """When the reply form comes back with its words (a refusal, a missing field), the ids of
    the phrases in it come back too, so that sending it then still counts them. After a reply
    was sent the form is empty again, and so is this."""
    request = context.get("request")
    if request is None or request.method != "POST" or context.get("open_form") != "reply":
        return []
    ids = request.POST.getlist("reply-phrases")
    return list(dict.fromkeys(pk for pk in ids if ID_RE.fullmatch(pk)))[:MAX_KEPT]
