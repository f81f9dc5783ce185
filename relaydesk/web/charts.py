"""The trail's charts as inline SVG drawn on the server (pygal), with no script: pygal links a
script from its website by default, which `js=[]` leaves out, and writes its configuration
into an inline script for it, which `_no_script` removes (nothing reads it). The SVG has a
viewBox and no size of its own, so it takes the width of its card (a phone's too)."""

import re

import pygal  # type: ignore[import-untyped]  # pygal ships no types
from pygal.style import Style  # type: ignore[import-untyped]

from relaydesk.insights.weekly import Week

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#7b8794",
    colors=("#2f6fab", "#3c8d5a", "#b9770e"),
    font_family="system-ui, sans-serif",
    label_font_size=16,
    major_label_font_size=16,
    value_font_size=18,
    legend_font_size=16,
    title_font_size=18,
)
# The card's heading names each chart, so the charts carry no title of their own.
COMMON = {
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    # Drawn small and scaled up: on a 390 px phone the letters stay readable.
    "width": 440,
    "height": 320,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 1,
    "truncate_legend": -1,
    "print_values": True,
    "show_y_guides": True,
}


SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def _no_script(svg: str) -> str:
    return SCRIPT.sub("", svg)


def pyramid(tiers: list[dict]) -> str:
    """Cases solved at each tier, the top tier on top, as a pyramid is drawn."""
    chart = pygal.HorizontalBar(show_legend=False, **COMMON)
    ordered = sorted(tiers, key=lambda t: t["rank"])
    chart.x_labels = [t["name"] for t in ordered]
    chart.add("Solved", [t["solved"] for t in ordered])
    return _no_script(chart.render(is_unicode=True))


def weekly(weeks: list[Week]) -> str:
    """Solves per week of the month, and those solved before the deadline."""
    chart = pygal.Bar(**COMMON)
    chart.x_labels = [week.label for week in weeks]
    chart.add("Solved", [week.solved for week in weeks])
    chart.add("Before the deadline", [week.before_deadline for week in weeks])
    return _no_script(chart.render(is_unicode=True))
