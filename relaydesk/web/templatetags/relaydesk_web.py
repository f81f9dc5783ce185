"""Template tags for the staff pages: the header and times in words."""

from datetime import datetime, timedelta

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from relaydesk.timekeeping import now
from relaydesk.web.header import header_facts
from relaydesk.web.middleware import display_zone
from relaydesk.web.queries import SOON

register = template.Library()


@register.inclusion_tag("web/_header.html", takes_context=True)
def staff_header(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    facts = None
    if user is not None and user.is_authenticated:
        facts = getattr(request, "relaydesk_header_facts", None)
        if facts is None:
            facts = header_facts(user)
            request.relaydesk_header_facts = facts
    return {"request": request, "facts": facts, "csrf_token": context.get("csrf_token")}


def _span(seconds: float) -> str:
    seconds = int(abs(seconds))
    minutes = seconds // 60
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


@register.filter
def ago(moment: datetime | None) -> str:
    """'5 min ago', 'in 3 h 20 min': relative to the one clock."""
    if moment is None:
        return ""
    delta = (moment - now()).total_seconds()
    if abs(delta) < 60:
        return "just now"
    return f"in {_span(delta)}" if delta > 0 else f"{_span(delta)} ago"


@register.filter
def time_left(span: timedelta | None) -> str:
    """A paused deadline's time left (rule 16): '18 h', or 'no time (2 h overdue)'."""
    if span is None:
        return ""
    if span < timedelta(0):
        return f"no time ({_span(span.total_seconds())} overdue)"
    return _span(span.total_seconds())


@register.filter
def iso(moment: datetime | None) -> str:
    return moment.astimezone(display_zone()).isoformat() if moment else ""


@register.filter
def when(moment: datetime | None, style: str = "long") -> str:
    """The exact time in the active (company) time zone: 'Mon 23 Nov 2026, 14:05'.

    Plain strftime rather than Django's localised `date` filter, which costs far more per call
    and runs for every row of every list.
    """
    if moment is None:
        return ""
    local = moment.astimezone(display_zone())
    day = f"{local:%a} {local.day} {local:%b}"
    if style == "short":
        return f"{day}, {local:%H:%M}"
    if style == "seconds":
        return f"{day} {local.year}, {local:%H:%M:%S}"
    if style == "day":
        return f"{local.day} {local:%b %Y}"
    return f"{day} {local.year}, {local:%H:%M}"


@register.simple_tag
def countdown(deadline: datetime | None, classes: str = "") -> SafeString | str:
    """A deadline's time left, coloured overdue or soon (due within 4 h), kept counting by
    base.html's script: <span class="soon" data-countdown="…">3 h 20 min left</span>.

    One tag rather than four filters: every row of every list shows one, and each filter
    call costs the template engine more than the arithmetic."""
    if not deadline:  # None, or a variable the template does not have
        return ""
    left = deadline - now()
    state = "overdue" if left < timedelta(0) else "soon" if left <= SOON else ""
    text = f"{_span(left.total_seconds())} {'overdue' if state == 'overdue' else 'left'}"
    return format_html(
        '<span class="{}" data-countdown="{}">{}</span>',
        " ".join(c for c in (classes, state) if c),
        iso(deadline),
        text,
    )


@register.simple_tag
def moment_ago(moment: datetime | None) -> SafeString | str:
    """<time datetime="…" title="Mon 23 Nov 2026, 14:05">5 min ago</time>."""
    if not moment:
        return ""
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', iso(moment), when(moment), ago(moment)
    )
