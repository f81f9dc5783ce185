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
from itertools import accumulate, compress, count

from relaydesk.replies import tone_model
from relaydesk.replies.tone_heads import WORD
from relaydesk.replies.tone_rules import (
    EXEMPT,
    SENTENCE_EXEMPT,
    TURN_EXEMPT,
    Rule,
    Rules,
    loaded,
)
from relaydesk.replies.tone_text import negated_before, plain, sentence_of

MAX_TEXT = 100_000  # a reply is far shorter; beyond this the rest is not checked
OWNED_UP = frozenset(["blame", "argue", "lecture"])  # what a sentence owning up clears
TURNED = frozenset(["dismiss", "argue"])  # what a kind next step later in the sentence clears
WORDS_AND_GAPS = re.compile(f"({WORD.pattern})")  # the reply cut as tone_heads.WORD cuts it


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


Spans = list[tuple[int, int]]


def suggestion_for(rule: Rule) -> str:
    """The better phrase shown with a warning: the rule's own (no database needed).
    relaydesk.replies.tone_phrases.library_suggestions prefers the phrase library's."""
    return rule.suggestion


def check(text: str, *, suggest: Callable[[Rule], str] = suggestion_for) -> list[ToneWarning]:
    """The warnings for `text`, in reading order, at most one per place; `suggest` gives
    each its better phrase. The rules first, then the trained second opinion (tone_model)."""
    return check_with(text, tone_model.loaded(), suggest=suggest)


def check_with(
    text: str,
    model: tone_model.Model | None,
    *,
    suggest: Callable[[Rule], str] = suggestion_for,
) -> list[ToneWarning]:
    """check() with a given second opinion (None: the rules alone), as the bench compares."""
    flat = plain(text[:MAX_TEXT])
    rules = loaded()
    matched = matches(rules, flat)
    exempt = matched.get(EXEMPT, [])
    # where the company takes the blame, the customer isn't being blamed, argued with or
    # lectured anywhere in that sentence ("it should have been obvious …, and we didn't show you")
    owned_up = [sentence_of(flat, s, e) for s, e in matched.get(SENTENCE_EXEMPT, ())]
    # "that's our policy, but I've refunded it": from the sentence's start to the kind turn
    turns = [(sentence_of(flat, s, e)[0], s) for s, e in matched.get(TURN_EXEMPT, ())]
    found: list[ToneWarning] = []
    read: Spans = []  # every rule's match, warned or kept silent: the model leaves them be
    for rule in rules.rules:
        spans = matched.get(rule.id)
        if not spans:
            continue
        kept = exempt + matched.get(f"unless:{rule.id}", [])
        needs = matched.get(f"needs:{rule.id}", [])
        for start, end in (_trimmed(flat, s, e) for s, e in spans):
            read.append((start, end))
            if not _silent(flat, rule, (start, end), kept, (owned_up, turns), needs):
                found.append(ToneWarning(start, end, rule.id, rule.why, suggest(rule)))
    for start, end, rule in tone_model.second_opinion(flat, matched, read, model):
        found.append(ToneWarning(start, end, rule.id, rule.why, suggest(rule)))
    return _one_per_place(found)


def _silent(
    flat: str,
    rule: Rule,
    span: tuple[int, int],
    kept: Spans,
    cleared: tuple[Spans, Spans],
    needs: Spans,
) -> bool:
    """Whether a rule's match stays silent: exempt, in a sentence where we own the mistake or
    before a kind next step in its sentence, without what the rule needs in its sentence, or
    negated."""
    start, end = span
    owned_up, turns = cleared
    if end <= start or _overlaps(start, end, kept):
        return True
    if rule.category in OWNED_UP and _overlaps(start, end, owned_up):
        return True
    if rule.category in TURNED and _overlaps(start, end, turns):
        return True
    if rule.needs and not _overlaps(*sentence_of(flat, start, end), needs):
        return True
    return rule.negatable and negated_before(flat, start)


def matches(rules: Rules, flat: str) -> dict[str, list[tuple[int, int]]]:
    """Where each owner's patterns match (a rule's id, "unless:<id>", "exempt"): tried at
    the words they start with, three deep, or scanned."""
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    by_first = rules.by_first
    # [gap, word, gap, word, …, gap] and where each part ends: word i starts where the parts
    # before it end (all in C: a Python step per word of the reply would cost more than the
    # patterns tried)
    parts = WORDS_AND_GAPS.split(flat)
    ends = list(accumulate(map(len, parts)))
    words = [*parts[1::2], "", ""]
    for i in compress(count(), map(by_first.__contains__, words[:-2])):  # most start none
        seconds, any_second = by_first[words[i]]
        second = seconds.get(words[i + 1])
        owned = any_second if second is None else second[0].get(words[i + 2], second[1])
        position = ends[2 * i]
        for owner, pattern in owned:
            match = pattern.match(flat, position)
            if match:
                found[owner].append(match.span())
    for owner, pattern in rules.anywhere:
        found[owner].extend(match.span() for match in pattern.finditer(flat))
    return found


def rule_spans(rules: Rules, flat: str, matched: dict[str, Spans]) -> Spans:
    """Where any rule matched, warned or kept silent (what the second opinion leaves be)."""
    return [_trimmed(flat, s, e) for rule in rules.rules for s, e in matched.get(rule.id, ())]


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
