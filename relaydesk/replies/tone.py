"""The tone check (DESIGN rule 10): words in a reply that blame, argue with, lecture or dismiss.

    check("You should have read the terms.")
    → [ToneWarning(start=0, end=26, rule="blame.should_have", why=…, suggestion=…)]

Rules are data (tone_rules.toml); this module applies them. Offsets are in characters of the
text as typed (tone_text explains). A sentiment lexicon gets this backwards (an apology scores
as negative, "Obviously, restart the router" as positive), so it is a rule checker with
exemptions: the customer's quoted words, the company taking the blame, kind and future uses,
negations.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass

from relaydesk.replies.tone_rules import Patterns, Rule, loaded
from relaydesk.replies.tone_text import negated_before, plain

MAX_TEXT = 100_000  # a reply is far shorter; beyond this the rest is not checked
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ToneWarning:
    """Words of a reply that may hurt: where they are, which rule, why, and what to write."""

    start: int
    end: int
    rule: str
    why: str
    suggestion: str

    def as_dict(self) -> dict:
        return asdict(self)


def suggestion_for(rule: Rule) -> str:
    """The better phrase shown with a warning: the rule's own (no database needed).
    relaydesk.replies.tone_phrases.library_suggestions prefers the phrase library's."""
    return rule.suggestion


def check(text: str, *, suggest: Callable[[Rule], str] = suggestion_for) -> list[ToneWarning]:
    """The warnings for `text`, in reading order, at most one per place; `suggest` gives
    each its better phrase."""
    flat = plain(text[:MAX_TEXT])
    at = word_positions(flat)
    rules = loaded()
    exempt: list[tuple[int, int]] | None = None  # found when first needed
    found: list[ToneWarning] = []
    for rule in rules.rules:
        matches = [
            _trimmed(flat, start, end) for start, end in spans(rules.patterns[rule.id], flat, at)
        ]
        if not matches:
            continue
        if exempt is None:
            exempt = spans(rules.exemptions, flat, at)
        kept = exempt + spans(rules.unless[rule.id], flat, at)
        for start, end in matches:
            if end <= start or _overlaps(start, end, kept):
                continue
            if rule.negatable and negated_before(flat, start):
                continue
            found.append(ToneWarning(start, end, rule.id, rule.why, suggest(rule)))
    return _one_per_place(found)


def word_positions(flat: str) -> dict[str, list[int]]:
    """Where each word of the text starts (the patterns are tried only there)."""
    at: dict[str, list[int]] = defaultdict(list)
    for match in WORD.finditer(flat):
        at[match.group()].append(match.start())
    return at


def spans(patterns: Patterns, flat: str, at: dict[str, list[int]]) -> list[tuple[int, int]]:
    """Where `patterns` match: tried at the words they start with, or scanned."""
    found = []
    for word, pattern in patterns.starting.items():
        for position in at.get(word, ()):
            match = pattern.match(flat, position)
            if match:
                found.append(match.span())
    if patterns.anywhere is not None:
        found.extend(match.span() for match in patterns.anywhere.finditer(flat))
    return found


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _trimmed(flat: str, start: int, end: int) -> tuple[int, int]:
    """The match without the spaces and stops that patterns use as boundaries."""
    while start < end and not flat[start].isalnum():
        start += 1
    while end > start and flat[end - 1] in " \t\r\n,;:":
        end -= 1
    return start, end


def _one_per_place(found: list[ToneWarning]) -> list[ToneWarning]:
    """Where rules flag overlapping words, the one starting first (then the longest) stays."""
    kept: list[ToneWarning] = []
    for warning in sorted(found, key=lambda w: (w.start, -(w.end - w.start))):
        if not kept or warning.start >= kept[-1].end:
            kept.append(warning)
    return kept
