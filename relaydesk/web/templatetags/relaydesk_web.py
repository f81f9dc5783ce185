"""Template tags for the staff pages: the header, times in words, and dates the company's way."""

from datetime import date, datetime, timedelta

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from relaydesk.org import dates
from relaydesk.org.dates import write_date, write_moment
from relaydesk.timekeeping import now
from relaydesk.web.header import header_facts
from relaydesk.web.middleware import display_language, display_zone
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
def when(moment: datetime | None, style: str = "") -> str:
    """A moment in the company's time zone, written the one way its locale writes a date and
    time (relaydesk.org.dates): '05/12/2026 2:05 p.m.' in en-GB, '05.12.2026 14:05' in de.
    `when:"day"` writes the date only. Other styles are kept for old templates and mean the
    same one format."""
    if moment is None:
        return ""
    local = moment.astimezone(display_zone())
    if style == "day":
        return write_date(local, display_language())
    return write_moment(local, display_language())


@register.filter
def day(value: date | str | None) -> str:
    """A date (or a date field's ISO value, '2026-12-31', as cases keep it) written the
    locale's way; text that is not a date is shown as it is."""
    if isinstance(value, datetime):
        return when(value, "day")
    if isinstance(value, date):
        return write_date(value, display_language())
    return date_input(value)


@register.filter
def date_input(value: object) -> str:
    """A date field's value as its input shows it: a kept ISO date the locale's way, and what
    the person typed (a form sent back with an error) as they typed it."""
    if isinstance(value, str):
        try:
            return write_date(date.fromisoformat(value), display_language())
        except ValueError:
            return value
    return "" if value is None else str(value)


@register.simple_tag
def date_example() -> str:
    """How a date is typed here: '31/12/2026'."""
    return dates.date_example(display_language())


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
