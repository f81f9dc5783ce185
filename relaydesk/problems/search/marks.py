"""Matched words in a snippet: plain text plus (start, end) spans, never HTML from the index.

The engines wrap matched words in two control characters (START, END) that no HTML escaping
touches; `split_marks` turns such text into plain text and spans, and `highlight_marks`
escapes the text and wraps each span in <mark>, so a customer's words can never inject markup.
"""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

START = "\x02"
END = "\x03"

Marks = tuple[tuple[int, int], ...]


def split_marks(marked: str) -> tuple[str, Marks]:
    """`marked` (matched words between START and END) as plain text and the words' spans."""
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    opened: int | None = None
    for char in marked:
        if char == START:
            opened = length
        elif char == END:
            if opened is not None and length > opened:
                spans.append((opened, length))
            opened = None
        else:
            text.append(char)
            length += 1
    return "".join(text), tuple(spans)


def highlight_marks(text: str, marks: Sequence[tuple[int, int]]) -> SafeString:
    """`text` escaped for HTML, each marked span wrapped in <mark>…</mark>."""
    parts: list[str] = []
    at = 0
    for start, end in sorted(marks):
        if start < at or end > len(text):
            continue  # overlapping or out of range: leave those words plain
        parts.append(escape(text[at:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
