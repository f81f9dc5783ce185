"""Texts to weighted terms, and typos to the terms they probably meant.

Engine-neutral: each engine (relaydesk.problems.search.sqlite, .postgres) says how a word is
stemmed and which terms its index holds; what a case's words weigh, which of them are worth
asking about and how a misspelt word is corrected is decided here, the same on both.
"""

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from types import ModuleType

WORD = re.compile(r"[^\W_]+")
# Where a word stands counts: the subject and what the customer really needs say most, the
# details and the customer's own words next, our resolution, then our replies (polite filler).
CLASS_WEIGHTS = {"A": 2.0, "B": 1.0, "C": 1.0, "D": 0.4}
MAX_WORD = 40  # longer "words" are hashes, links and encoded data: not searched for


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if len(w) <= MAX_WORD]


class Terms:
    """The weighted terms of some texts, and one word each term came from (its surface)."""

    def __init__(self) -> None:
        self.counts: defaultdict[str, float] = defaultdict(float)
        self.surface: dict[str, str] = {}

    @property
    def length(self) -> float:
        return sum(self.counts.values())


# Stemming is a pure function of the word and the engine, and most words come back: kept.
_known: dict[tuple[str, str], str] = {}
KNOWN_WORDS = 200_000


def _stems(engine: ModuleType, every: set[str]) -> dict[str, str]:
    name = engine.__name__
    new = sorted(word for word in every if (name, word) not in _known)
    if new:
        if len(_known) > KNOWN_WORDS:
            _known.clear()
        for word, stem in engine.stems(new).items():
            _known[(name, word)] = stem
    return {word: _known.get((name, word), "") for word in every}


def analyse(engine: ModuleType, documents: Mapping[int, Mapping[str, str]]) -> dict[int, Terms]:
    """Each document's terms (its texts by weight class A-D), stemmed by `engine` in one go."""
    split = {
        key: {weight: words(text) for weight, text in classes.items()}
        for key, classes in documents.items()
    }
    every = {word for classes in split.values() for ws in classes.values() for word in ws}
    stems = _stems(engine, every)
    analysed: dict[int, Terms] = {}
    for key, classes in split.items():
        terms = analysed[key] = Terms()
        for weight, ws in classes.items():
            for word in ws:
                term = stems.get(word, "")
                if term:
                    terms.counts[term] += CLASS_WEIGHTS.get(weight, 1.0)
                    terms.surface.setdefault(term, word)
    return analysed


# Terms held by DF_CAP cases or more, per engine: common stays common (cases are rarely
# deleted), so their counts are not asked again; counting them is most of a look-up's work.
_common: set[tuple[str, str]] = set()
COMMON_KEPT = 100_000


def doc_freq(eng: ModuleType, terms: list[str], surface: dict[str, str]) -> dict[str, int]:
    """How many cases hold each term (counted up to the engine's DF_CAP)."""
    name = eng.__name__
    found = {t: eng.DF_CAP for t in terms if (name, t) in _common}
    asked = [t for t in terms if t not in found]
    counted = eng.doc_freq(asked, words=surface) if asked else {}
    if len(_common) > COMMON_KEPT:
        _common.clear()
    _common.update((name, t) for t, count in counted.items() if count >= eng.DF_CAP)
    return found | counted


def idf(doc_freq: int, total: int) -> float:
    return math.log(1 + (total - doc_freq + 0.5) / (doc_freq + 0.5))


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent swaps (optimal string alignment), or limit + 1 once over."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                best = min(best, previous2[j - 2] + 1)
            current.append(best)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(term: str) -> int:
    if len(term) < 4:
        return 0
    return 1 if len(term) < 8 else 2


def corrections(
    term: str, near: Iterable[tuple[str, int]], *, at_least: int = 1, most: int = 2
) -> list[str]:
    """The indexed terms `term` was probably a typo of: within its allowed edits, found in at
    least `at_least` cases; closest first, then the commonest."""
    limit = allowed_edits(term)
    if not limit:
        return []
    scored = []
    for candidate, doc_freq in near:
        if candidate == term or doc_freq < at_least:
            continue
        edits = distance(term, candidate, limit)
        if edits <= limit:
            scored.append((edits, -doc_freq, candidate))
    return [candidate for _, _, candidate in sorted(scored)[:most]]
