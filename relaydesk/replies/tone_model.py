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
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from relaydesk.replies.tone_rules import EXEMPT, SENTENCE_EXEMPT, TURN_EXEMPT, Rule
from relaydesk.replies.tone_text import negated_before

WEIGHTS_FILE = Path(__file__).with_name("tone_model_weights.json")
TEXTS_FILE = Path(__file__).with_name("tone_model.toml")
FINE = "fine"
TOKEN = re.compile(r"[a-z][a-z']*|\d+")
SENTENCE = re.compile(r"[^.!?\n]+")
YOU = frozenset(["you", "your", "you're", "you've", "you'd", "you'll", "yourself", "yours"])
# What we have done or will do for the customer, later in the reply ("… I've refunded it"): the
# words before it are the account of what went wrong that the remedy answers, so the model
# leaves them be (the rules still read them). On every labelled set left out, this took away
# 10 of the model's 176 additions at 0.60, all of them false alarms.
REMEDY = re.compile(
    r"(?:^|[.!?;:]\s+|\n)(?:so |and )?(?:i've|i have|we've|we have|we'll|we will|i'll|i will"
    r"|we're|we are|i'm|i am)(?: now| also| already| just)? (?:\w+ )?(?:refunded|refund"
    r"|refunding|credited|crediting|waived|waiving|remade|remaking|rebooked|rebooking|redeliver"
    r"|redelivering|booked|sent|sending|moved|replaced|replacing|covered|covering|raised"
    r"|arranged|approved|corrected|unlocked|fixed|fixing|releasing|paid|cancelled|reversed"
    r"|restored|resent|upgraded|refitted|redo|redone|remake)\b"
)
Span = tuple[int, int]


def sentences(flat: str) -> Iterator[Span]:
    """Where each sentence of the plain text is (as tone_text.sentence_of cuts them)."""
    for match in SENTENCE.finditer(flat):
        if TOKEN.search(match.group()):
            yield match.span()


def tokens(flat: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(flat, start, end)]


# Word kinds for the sentence-level features ("cues"): they let the model learn the shape of
# blaming, arguing, lecturing and dismissing (the customer as the one who did something wrong
# in the past, duty after the fact, a rule and a no with nothing offered) rather than only
# the literal words of the replies it was trained on.
KINDS_OF = {
    "YOU": "you your you're you've you'd yourself yours",
    "WE": "we we're we've we'd our ours us i i've i'm i'd my",
    "OBL": "should should've shouldn't must ought needed supposed required expected "
    "responsibility responsible onus duty obliged obligation",
    "SURE": "clearly obviously simply plainly surely literally evidently certainly basically "
    "frankly honestly really just",
    "ALL": "always never every all any everyone everybody anyone anybody final full ever "
    "absolutely whatsoever regardless exceptions exception",
    "RULE": "policy policies terms rules rule conditions contract agreement website faq guide "
    "manual instructions sign signs label notice small print booking",
    "NO": "can't cannot won't unable not don't doesn't didn't non-refundable non-returnable "
    "closed forfeit forfeited stands remains void invalid nothing no refuse refused",
    "GIVE": "but however instead happy glad offer can we'll i'll i've refund refunded free "
    "sorry apologise apologies apologize waived waive replace replaced rebook rebooked "
    "fixed fix help welcome cover covered",
    "OWN": "mistake fault error our us ours apologies sorry",
    "BE": "was were been wasn't weren't hasn't haven't",
    "PAST": "left took made broke lost sent gave came ran put got kept brought chose went "
    "forgot bought let wrote drove knew saw told said paid did had hadn't forgotten chosen "
    "taken given broken done worn thrown dropped fed run",
    "THUS": "so therefore hence why caused causes meaning means voids voided",
    "ASK": "which what when where how who whether",
    "KNOW": "know knows knew learn learned learnt manage understand understood realise realize "
    "aware obvious clear simple easy basic basics sense reason point",
    "LATER": "next future again",
}
KIND: dict[str, str] = {}
for _kind, _words in KINDS_OF.items():
    for _word in _words.split():
        KIND.setdefault(_word, _kind)
Cue = tuple[str, int, int]  # a feature and the first and last word that make it


def kind_of(word: str) -> str:
    kind = KIND.get(word)
    if kind is None and len(word) > 4 and word.endswith("ed"):
        return "PAST"
    return kind or ""


# kinds that, found together anywhere in a sentence, make a cue ("c:RULE NO": a rule and a no)
TOGETHER = (
    ("RULE", "NO"),
    ("SURE", "YOU"),
    ("ALL", "NO"),
    ("WE", "OWN"),
    ("YOU", "OBL"),
    ("ALL", "KNOW"),
    ("SURE", "KNOW"),
    ("YOU", "LATER"),
    ("RULE", "KNOW"),
)
DONE = ("c:you PAST", "c:you NO", "c:passive")  # something done, for "c:done and so"


def _next(
    plain: list[str], kinds: list[str], i: int, span: tuple[int, int], wanted: tuple[str, ...]
) -> int:
    """The first word from i + span[0] to before i + span[1] of a wanted kind (or that is a
    wanted word: kinds are in capitals, words in lower case), else -1."""
    for j in range(i + span[0], min(len(kinds), i + span[1])):
        if kinds[j] in wanted or plain[j] in wanted:
            return j
    return -1


def _who_did(plain: list[str], kinds: list[str], i: int, kind_words: bool) -> list[Cue]:
    """The cues that start at word i: the customer as the one who did something ("you
    cancelled", "you should", "your son ignored"), "we would never" (`kind_words`: the
    sentence has an offer or an apology, so no such cue), a passive ("was overloaded")."""
    found: list[Cue] = []
    kind = kinds[i]
    if kind == "YOU":
        j = _next(plain, kinds, i, (1, 3), ("PAST", "OBL", "NO"))
        if j >= 0:
            found.append((f"c:you {kinds[j]}", i, j))
        j = -1 if plain[i] != "your" else _next(plain, kinds, i, (2, 4), ("PAST", "BE", "NO"))
        if j >= 0:
            found.append(("c:your thing did", i, j))
    if kind == "WE" and not kind_words:
        j = _next(plain, kinds, i, (1, 4), ("NO", "never"))
        if j >= 0:
            found.append(("c:we deny", i, j))
    if kind == "BE":
        j = _next(plain, kinds, i, (1, 3), ("PAST",))
        if j >= 0:
            found.append(("c:passive", i, j))
    return found


def _whole(plain: list[str], seen: dict[str, int], found: list[Cue], ending: str) -> list[Cue]:
    """The cues of the sentence as a whole: something done and then "so"/"which is why", a
    question, a no with nothing offered, kinds found together, a very short sentence."""
    whole: list[Cue] = []
    done = [i for name, i, _ in found if name in DONE]
    if done and "THUS" in seen and seen["THUS"] > done[0]:
        whole.append(("c:done and so", done[0], seen["THUS"]))
    if ending == "?":
        whole.append(("c:question", 0, 0))
    if "NO" in seen and "GIVE" not in seen:
        whole.append(("c:no and nothing offered", seen["NO"], seen["NO"]))
    for a, b in TOGETHER:
        if a in seen and b in seen:
            whole.append((f"c:{a} {b}", min(seen[a], seen[b]), max(seen[a], seen[b])))
    if plain and len(plain) <= 6:
        whole.append(("c:short", 0, len(plain) - 1))
    return whole


def cues(plain: list[str], ending: str) -> list[Cue]:
    """The sentence-level features of a sentence's words (and the stop that ends it): word
    kinds and pairs of them, who did what, a no with nothing offered, a question."""
    kinds = [kind_of(word) for word in plain]
    kind_words = "GIVE" in kinds or "OWN" in kinds
    found: list[Cue] = []
    seen: dict[str, int] = {}
    for i, kind in enumerate(kinds):
        if kind:
            found.append((f"k:{kind}", i, i))
            seen.setdefault(kind, i)
        after = kinds[i + 1] if i + 1 < len(kinds) else None
        if after is not None and (kind or after):
            found.append((f"k:{kind or '_'} {after or '_'}", i, i + 1))
        found += _who_did(plain, kinds, i, kind_words)
    return found + _whole(plain, seen, found, ending)


def names(plain: list[str], ending: str = "") -> list[str]:
    """The features of a sentence's words (as features(), without where they are: faster)."""
    found = [f"w:{word}" for word in plain]
    found += [f"p:{a} {b}" for a, b in zip(plain, plain[1:], strict=False)]
    for i, word in enumerate(plain):
        if word in YOU:
            found += [f"y:{later}" for later in plain[i + 1 : i + 4]]
    if plain:
        found.append(f"f:{plain[0]}")
    found += [name for name, _, _ in cues(plain, ending)]
    return list(dict.fromkeys(found))


def features(words: list[tuple[str, int, int]], ending: str = "") -> dict[str, Span]:
    """Each feature of a sentence with the extent of the words that make it: a word, a pair
    of words, what follows "you"/"your" within three words, the sentence's first word, and
    the sentence-level cues."""
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
    for name, first, last in cues([w for w, _, _ in words], ending):
        found.setdefault(name, (words[first][1], words[last][2]))
    return found


def ending_of(flat: str, end: int) -> str:
    """The stop that ends a sentence ("?" for a question)."""
    return flat[end] if end < len(flat) else ""


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
        ending = ending_of(flat, end)
        probabilities = self.scores(names(TOKEN.findall(flat, start, end), ending))
        if 1 - probabilities[0] < self.threshold:  # how likely it hurts at all
            return None
        best = max(range(1, len(self.classes)), key=lambda c: probabilities[c])
        spans = self.drivers(features(tokens(flat, start, end), ending), best)
        if not spans or any(negated_before(flat, s) for s, _ in spans):
            return None
        if remedied(flat, max(e for _, e in spans)):
            return None
        return self.classes[best], (min(s for s, _ in spans), max(e for _, e in spans))


def remedied(flat: str, after: int) -> bool:
    """Whether the reply goes on, after `after`, to say what we have done or will do for the
    customer (REMEDY)."""
    return REMEDY.search(flat, after) is not None


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
        if owner in (EXEMPT, SENTENCE_EXEMPT, TURN_EXEMPT) or owner.startswith("unless:"):
            quiet.extend(spans)
    return quiet


def loud_sentences(flat: str, quiet: list[Span]) -> list[Span]:
    """The sentences that no quiet span touches (each quiet span is looked up among the
    sentences, which are in order and apart, rather than every sentence against every span)."""
    spans = list(sentences(flat))
    starts = [start for start, _ in spans]
    loud = [True] * len(spans)
    for s, e in quiet:
        i = max(bisect_right(starts, s) - 1, 0)
        while i < len(spans) and spans[i][0] < e:
            if s < spans[i][1]:
                loud[i] = False
            i += 1
    return [span for span, keep in zip(spans, loud, strict=True) if keep]


def second_opinion(
    flat: str, matched: dict[str, list[Span]], read: list[Span], model: Model | None
) -> list[tuple[int, int, Rule]]:
    """The model's warnings for the sentences that the rules and exemptions left alone."""
    if model is None:
        return []
    rules = category_rules()
    found = []
    for start, end in loud_sentences(flat, quiet_spans(matched, read)):
        opinion = model.sentence(flat, start, end)
        if opinion:
            category, (s, e) = opinion
            found.append((s, e, rules[category]))
    return found
