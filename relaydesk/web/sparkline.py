"""A trend as a tiny inline SVG line, drawn on the server: no script, no chart library.

The SVG has a viewBox, so it scales with its box; the numbers are in its accessible label
and title, so a screen reader (and a hover) reads the weeks, not a picture.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString

WIDTH = 120
HEIGHT = 28
PAD = 3


def sparkline(values: list[int], *, what: str = "cases per week") -> SafeString:
    """An SVG polyline of `values` (oldest first), with the last point marked."""
    if not values:
        return SafeString("")
    top = max(max(values), 1)
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    points = [
        (PAD + i * step, HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD))
        for i, value in enumerate(values)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    last_x, last_y = points[-1]
    label = f"{what}, oldest first: {', '.join(str(value) for value in values)}"
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}"><title>{}</title>'
        '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linejoin="round" stroke-linecap="round"/>'
        '<circle cx="{}" cy="{}" r="2.5" fill="currentColor"/></svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        label,
        label,
        line,
        f"{last_x:.1f}",
        f"{last_y:.1f}",
    )
