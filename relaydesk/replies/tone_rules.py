"""The tone rules, read once from tone_rules.toml (the file's header explains how a pattern reads).

Speed (a 2,000-character reply in well under 2 ms): scanning the reply with every pattern at
every character is too slow, so each pattern is filed under the words it can start with
(`first_words`) and tried only where the reply has such a word. A pattern that can start with
any word (one beginning with \\w, say) is scanned the ordinary way.
"""

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

RULES_FILE = Path(__file__).with_name("tone_rules.toml")

# The start of a sentence or a line: after a full stop, a colon, a dash or a line break (and
# the spaces after it). Zero-width, so a match tried at a word's first letter sees it.
STOPS = "[.!?;:(\u2014\u2013-]"
START = (
    rf"(?:^|(?<={STOPS})|(?<={STOPS}[ \t])|(?<={STOPS}[ \t][ \t])"
    r"|(?<=[.!?]['\")][ \t])|(?<=\n[ \t])|(?<=\n[ \t][ \t]))"
)
# A space in a pattern: spaces or a line break, or nothing before a contraction ("you (had|'d)"
# matches "you'd").
SPACE = r"(?:\s+|(?='))"
WORD_CLASS = re.compile(r"\{(\w+)\}")
ANY_WORD = "*"  # first_words' answer for a pattern that may start anywhere


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    principle: str  # the phrase library's moment whose phrase a warning suggests
    why: str
    suggestion: str
    negatable: bool
    warns: tuple[str, ...]
    fine: tuple[str, ...]


@dataclass
class Patterns:
    """Patterns filed by their first word: `starting[word]` is tried where the text has `word`."""

    starting: dict[str, re.Pattern[str]] = field(default_factory=dict)
    anywhere: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    patterns: dict[str, Patterns]  # by rule id
    unless: dict[str, Patterns]  # by rule id
    exemptions: Patterns


def expand(pattern: str, words: dict[str, str]) -> str:
    """One pattern as a regular expression: {classes} filled in, spaces made flexible."""

    def word_class(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "start":
            return START
        return "(?:" + words[name].replace(" ", SPACE) + ")"

    return WORD_CLASS.sub(word_class, pattern.strip().replace(" ", SPACE))


def whole_words(patterns: list[str]) -> re.Pattern[str]:
    """Any of the (expanded) `patterns`, as whole words: not starting inside a word, and at
    the end either ending on a space or a stop, or with no letter after it."""
    either = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"(?<![\w'])(?:{either})(?:(?<=\W)|(?!\w))", re.MULTILINE)


def closing(pattern: str, opening: int) -> int:
    """The index of the bracket closing the one at `opening`."""
    depth, i = 0, opening
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(pattern[i], 0)
        if depth == 0:
            return i
        i += 1
    raise ValueError(f"tone rules: unbalanced brackets in {pattern!r}")


def alternatives(inner: str) -> list[str]:
    """`a|b(c|d)|e` → ["a", "b(c|d)", "e"]: split at the top-level bars."""
    parts, depth, last, i = [], 0, 0, 0
    while i < len(inner):
        char = inner[i]
        if char == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(inner[last:i])
            last = i + 1
        i += 1
    return [*parts, inner[last:]]


def first_words(pattern: str, words: dict[str, str]) -> tuple[set[str], bool]:
    """The words `pattern` can start with, and whether it can match nothing at all."""
    found: set[str] = set()
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char in " ^":
            i += 1
        elif pattern.startswith("{start}", i) or pattern.startswith("\\b", i):
            i += len("{start}") if char == "{" else 2
        elif char == "{":
            end = pattern.index("}", i)
            heads, _ = first_words(f"({words[pattern[i + 1 : end]]})", words)
            return found | heads, False
        elif char == "(":
            end = closing(pattern, i)
            inner = pattern[i + 1 : end]
            i = end + 1
            optional = i < len(pattern) and pattern[i] in "?*"
            i += optional
            if inner.startswith(("?=", "?!", "?<")):
                continue  # a look-around matches nothing
            inner = inner.removeprefix("?:")
            for alternative in alternatives(inner):
                heads, empty = first_words(alternative, words)
                found |= heads
                optional = optional or empty
            if not optional:
                return found, False
        else:
            word = re.match(r"[^\W_]+", pattern[i:])
            if word is None or pattern[i + len(word.group()) : i + len(word.group()) + 1] in (
                "?",
                "*",
            ):
                return found | {ANY_WORD}, False  # \w, [...], an optional letter: anywhere
            return found | {word.group()}, False
    return found, True


def filed(patterns: list[str], words: dict[str, str]) -> Patterns:
    """`patterns` filed by the words they can start with."""
    by_word: dict[str, list[str]] = defaultdict(list)
    anywhere: list[str] = []
    for pattern in patterns:
        heads, empty = first_words(pattern, words)
        expanded = expand(pattern, words)
        if empty or ANY_WORD in heads:
            anywhere.append(expanded)
            continue
        for word in heads:
            by_word[word].append(expanded)
    return Patterns(
        starting={word: whole_words(group) for word, group in by_word.items()},
        anywhere=whole_words(anywhere) if anywhere else None,
    )


def rule_from(entry: dict) -> Rule:
    if not entry.get("patterns"):
        raise ValueError(f"tone rule {entry['id']} has no patterns")
    return Rule(
        id=entry["id"],
        category=entry["category"],
        principle=entry.get("principle", ""),
        why=entry["why"],
        suggestion=entry["suggestion"],
        negatable=bool(entry.get("negatable", False)),
        warns=tuple(entry.get("warns", [])),
        fine=tuple(entry.get("fine", [])),
    )


def parse(source: str) -> Rules:
    data = tomllib.loads(source)
    words = data.get("words", {})
    entries = data["rules"]
    exempt = [p for entry in data.get("exemptions", []) for p in entry["patterns"]]
    return Rules(
        rules=tuple(rule_from(entry) for entry in entries),
        patterns={e["id"]: filed(e["patterns"], words) for e in entries},
        unless={e["id"]: filed(e.get("unless", []), words) for e in entries},
        exemptions=filed(exempt, words),
    )


@cache
def loaded() -> Rules:
    """The rules of tone_rules.toml, compiled on first use and kept for the process."""
    return parse(RULES_FILE.read_text(encoding="utf-8"))
