"""A second opinion after the tone rules: a small learned model that reads each sentence.

The rules are precise but only know the phrasings someone has written down. The model scores
every sentence the rules left alone for blame, argue, lecture and dismiss, from its words, word
pairs and what follows "you"; where one category is very likely it adds a warning
(`model.<category>`). It only adds: never in a sentence where the rules already warned, nor
where an exemption of the rules holds (the company owning up, kind and future uses, the
customer's quoted words), nor where the words that drove it are negated.

Weights: tone_model_weights.json, written by `python -m bench.tone_train` (deterministic; it
also chooses the threshold by leaving one labelled set out at a time). The why and suggestion
of each category: tone_model.toml. No weights, no second opinion.
"""

import json
import math
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from relaydesk.replies.tone_rules import EXEMPT, SENTENCE_EXEMPT, Rule
from relaydesk.replies.tone_text import negated_before

WEIGHTS_FILE = Path(__file__).with_name("tone_model_weights.json")
TEXTS_FILE = Path(__file__).with_name("tone_model.toml")
FINE = "fine"
TOKEN = re.compile(r"[a-z][a-z']*|\d+")
SENTENCE = re.compile(r"[^.!?\n]+")
YOU = frozenset(["you", "your", "you're", "you've", "you'd", "you'll", "yourself", "yours"])
Span = tuple[int, int]


def sentences(flat: str) -> Iterator[Span]:
    """Where each sentence of the plain text is (as tone_text.sentence_of cuts them)."""
    for match in SENTENCE.finditer(flat):
        if TOKEN.search(match.group()):
            yield match.span()


def tokens(flat: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(flat, start, end)]


def names(plain: list[str]) -> list[str]:
    """The features of a sentence's words (as features(), without where they are: faster)."""
    found = [f"w:{word}" for word in plain]
    found += [f"p:{a} {b}" for a, b in zip(plain, plain[1:], strict=False)]
    for i, word in enumerate(plain):
        if word in YOU:
            found += [f"y:{later}" for later in plain[i + 1 : i + 4]]
    if plain:
        found.append(f"f:{plain[0]}")
    return list(dict.fromkeys(found))


def features(words: list[tuple[str, int, int]]) -> dict[str, Span]:
    """Each feature of a sentence with the extent of the words that make it: a word, a pair
    of words, what follows "you"/"your" within three words, the sentence's first word."""
    found: dict[str, Span] = {}
    for i, (word, start, end) in enumerate(words):
        found.setdefault(f"w:{word}", (start, end))
        if i + 1 < len(words):
            found.setdefault(f"p:{word} {words[i + 1][0]}", (start, words[i + 1][2]))
        if word in YOU:
            for later, _, later_end in words[i + 1 : i + 4]:
                found.setdefault(f"y:{later}", (start, later_end))
    if words:
        found.setdefault(f"f:{words[0][0]}", words[0][1:])
    return found


@dataclass(frozen=True)
class Model:
    classes: tuple[str, ...]  # FINE first, then the categories
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    threshold: float

    def scores(self, names: Iterable[str]) -> list[float]:
        """The probability of each class for a sentence with these features."""
        rows = [row for row in map(self.weights.get, names) if row]
        totals = [
            b + sum(column) for b, column in zip(self.bias, zip(*rows, strict=True), strict=False)
        ]
        totals = totals if rows else list(self.bias)
        top = max(totals)
        exps = [math.exp(t - top) for t in totals]
        whole = sum(exps)
        return [e / whole for e in exps]

    def drivers(self, found: dict[str, Span], category: int, count: int = 2) -> list[Span]:
        """Where the features that pushed hardest towards `category` are."""
        pushing = sorted(
            ((self.weights[n][category], s) for n, s in found.items() if n in self.weights),
            reverse=True,
        )
        return [span for weight, span in pushing[:count] if weight > 0]

    def sentence(self, flat: str, start: int, end: int) -> tuple[str, Span] | None:
        """(category, the words that drove it) when the sentence is likely to hurt."""
        probabilities = self.scores(names(TOKEN.findall(flat, start, end)))
        if 1 - probabilities[0] < self.threshold:  # how likely it hurts at all
            return None
        best = max(range(1, len(self.classes)), key=lambda c: probabilities[c])
        spans = self.drivers(features(tokens(flat, start, end)), best)
        if not spans or any(negated_before(flat, s) for s, _ in spans):
            return None
        return self.classes[best], (min(s for s, _ in spans), max(e for _, e in spans))


def model_from(data: dict) -> Model:
    return Model(
        classes=tuple(data["classes"]),
        bias=tuple(data["bias"]),
        weights={name: tuple(row) for name, row in data["weights"].items()},
        threshold=float(data["threshold"]),
    )


@cache
def loaded() -> Model | None:
    """The trained model, read once; None when no weights have been written."""
    if not WEIGHTS_FILE.exists():
        return None
    return model_from(json.loads(WEIGHTS_FILE.read_text(encoding="utf-8")))


@cache
def category_rules() -> dict[str, Rule]:
    """The rule each category's warning carries: model.<category>, its why and suggestion."""
    data = tomllib.loads(TEXTS_FILE.read_text(encoding="utf-8"))
    return {
        category: Rule(
            id=f"model.{category}",
            category=category,
            principle=entry.get("principle", ""),
            why=entry["why"],
            suggestion=entry["suggestion"],
            negatable=True,
            warns=(),
            fine=(),
        )
        for category, entry in data["categories"].items()
    }


def quiet_spans(matched: dict[str, list[Span]], read: list[Span]) -> list[Span]:
    """Where the model stays silent: wherever a rule matched (it warned, or chose not to: a
    `needs` missing, a negation) and every exemption (the whole-sentence ones, the kind uses,
    each rule's `unless`)."""
    quiet = list(read)
    for owner, spans in matched.items():
        if owner in (EXEMPT, SENTENCE_EXEMPT) or owner.startswith("unless:"):
            quiet.extend(spans)
    return quiet


def second_opinion(
    flat: str, matched: dict[str, list[Span]], read: list[Span], model: Model | None
) -> list[tuple[int, int, Rule]]:
    """The model's warnings for the sentences that the rules and exemptions left alone."""
    if model is None:
        return []
    quiet = quiet_spans(matched, read)
    rules = category_rules()
    found = []
    for start, end in sentences(flat):
        if any(s < end and start < e for s, e in quiet):
            continue
        opinion = model.sentence(flat, start, end)
        if opinion:
            category, (s, e) = opinion
            found.append((s, e, rules[category]))
    return found
