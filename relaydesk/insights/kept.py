"""The trail of a closed month, kept once computed (Django's cache) and computed again when a
later-written event touches the month: a late escalation, a survey answer or gesture written
with an earlier clock, a history loaded afterwards.

Kept with the trail is the newest event id the computation could have seen (a watermark).
Reading it asks whether any event written since has a time before the month's end (plus the
days a late escalation may still count, counts.ESCALATION_LATE): a scan of the new events
only, by primary key. When none has, the watermark moves up to the newest event, so the next
look scans only what came after. The current month is never kept: nearly every event
changes it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from relaydesk.cases.models import Event
from relaydesk.insights.counts import ESCALATION_LATE
from relaydesk.insights.months import Month
from relaydesk.insights.trail import as_report, compute_trail
from relaydesk.insights.weekly import Week, solved_by_week

KEEP_SECONDS = 30 * 24 * 3600


@dataclass
class MonthFigures:
    report: dict[str, Any]  # the API contract's shape (trail.as_report)
    weeks: list[Week]
    # What a face drew from the figures (the month page's charts), kept along with them.
    drawings: dict[str, str] = field(default_factory=dict)
    kept: bool = False  # read from the cache rather than computed for this request


Draw = Callable[[MonthFigures], dict[str, str]]


def _key(month: Month) -> str:
    return f"relaydesk:trail:{month.time_zone}:{month.label}"


def _newest_event_id() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def compute(month: Month, draw: Draw | None = None) -> MonthFigures:
    figures = MonthFigures(report=as_report(compute_trail(month)), weeks=solved_by_week(month))
    if draw is not None:
        figures.drawings = draw(figures)
    return figures


def month_figures(month: Month, *, closed: bool, draw: Draw | None = None) -> MonthFigures:
    """The month's figures (and `draw`'s drawings of them); a closed month's from the cache
    while no event touched it since."""
    if not closed:
        return compute(month, draw)
    key = _key(month)
    newest = _newest_event_id()
    found = cache.get(key)
    if found is not None:
        watermark, figures = found
        touched = Event.objects.filter(
            id__gt=watermark, id__lte=newest, at__lt=month.end_utc + ESCALATION_LATE
        ).exists()
        if not touched:
            drawn = False
            if draw is not None and not figures.drawings:
                # Kept by a page that draws nothing: draw once, and keep that too.
                figures.drawings, drawn = draw(figures), True
            if drawn or newest != watermark:
                cache.set(key, (newest, figures), KEEP_SECONDS)
            figures.kept = True
            return figures
    # Read the watermark before computing: an event written meanwhile is looked at next time.
    figures = compute(month, draw)
    cache.set(key, (newest, figures), KEEP_SECONDS)
    return figures
