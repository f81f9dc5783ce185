"""The tone rules, read once from tone_rules.toml (the file's header explains how a pattern reads).

Speed (a 2,000-character reply in under 2 ms): trying every pattern at every character is
too slow, so each pattern is filed under the first three words it can start with (tone_heads)
and tried only where the reply has them (looked up by the first word, then the second, then
the third). A pattern that may start with any word is scanned the ordinary way.
"""

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from relaydesk.replies.tone_heads import ANY, heads

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
EXEMPT = "exempt"  # the owner of the [[exemptions]] patterns; a rule's `unless` is "unless:<id>"
# the owner of [[exemptions]] with scope = "sentence": they clear the whole sentence they are in
SENTENCE_EXEMPT = "exempt:sentence"
# the owner of [[exemptions]] with scope = "turn": a kind next step later in the sentence ("…, but
# I've refunded it") clears the no or the argument before it
TURN_EXEMPT = "exempt:turn"
SCOPES = {"sentence": SENTENCE_EXEMPT, "turn": TURN_EXEMPT}

Owned = list[tuple[str, re.Pattern[str]]]  # (owner, pattern)
Key = tuple[str, str, str]  # the first three words a pattern starts with ("*": any word)
# second word → (third word → its patterns, then those for any third word, then those for any
# second word; the patterns for that second word and any third word, then those for any
# second word)
BySecond = dict[str, tuple[dict[str, Owned], Owned]]
# a first word → (BySecond, the patterns for any second word): one look-up per word of the
# reply, and most words start no pattern
ByFirst = dict[str, tuple[BySecond, Owned]]
DEPTH = 3  # how many first words patterns are filed by


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
    # the rule warns only in a sentence where one of its `needs` patterns matches too
    # ("you booked the saver fare" + "so changes cost extra"): owner "needs:<id>"
    needs: bool = False


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    # (first word, second word or "*", third word or "*") → the patterns to try there, with
    # their owner: a rule's id, "unless:<rule id>" or "exempt".
    index: dict[Key, Owned]
    anywhere: Owned  # patterns that may start with any word: scanned
    by_first: ByFirst  # the index again, by first word (what tone.matches reads)


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
    either = "|".join(f"(?:{uncaptured(p)})" for p in patterns)
    return re.compile(rf"(?<![\w'])(?:{either})(?:(?<=\W)|(?!\w))", re.MULTILINE)


def uncaptured(pattern: str) -> str:
    """`pattern` with its groups made non-capturing: the same matches, and a failed try costs
    less (the regular expression engine saves and restores every group as it backtracks).
    Only where a match is and how long it is count, never a group (patterns have no \\1)."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif pattern[i] == "[":
            end = _class_end(pattern, i)
            out.append(pattern[i:end])
            i = end
        else:
            opens = pattern[i] == "(" and pattern[i + 1 : i + 2] != "?"
            out.append("(?:" if opens else pattern[i])
            i += 1
    return "".join(out)


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class opening at `i` ([^]…] and []…] hold a "]")."""
    j = i + 1 + (pattern[i + 1 : i + 2] == "^")
    j += pattern[j : j + 1] == "]"
    while pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


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
        needs=bool(entry.get("needs")),
    )


def owned_patterns(data: dict) -> list[tuple[str, str]]:
    """Every pattern of the file with its owner."""
    owned = []
    for entry in data["rules"]:
        owned += [(entry["id"], p) for p in entry["patterns"]]
        owned += [(f"unless:{entry['id']}", p) for p in entry.get("unless", [])]
        owned += [(f"needs:{entry['id']}", p) for p in entry.get("needs", [])]
    for entry in data.get("exemptions", []):
        owner = SCOPES.get(entry.get("scope", ""), EXEMPT)
        owned += [(owner, p) for p in entry["patterns"]]
    return owned


def filed(owned: list[tuple[str, str]], words: dict[str, str]) -> tuple[dict, Owned]:
    """The patterns filed by their first three words, and those that may start anywhere.

    One regular expression per owner and pair of first words, its patterns in the file's
    order (where two of them match, the alternation keeps the first); under a third word, the
    same one without the patterns that cannot start with it (they would not match there), so
    each place gets the very match the pair's expression gives, with less to try."""
    by_pair: dict[tuple[str, str], dict[str, list[tuple[str, set[str]]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    anywhere: dict[str, list[str]] = defaultdict(list)
    for owner, pattern in owned:
        expanded = expand(pattern, words)
        starts = heads(pattern, words, DEPTH)
        if any(not h or h[0] == ANY for h in starts):
            anywhere[owner].append(expanded)
            continue
        thirds: dict[tuple[str, str], set[str]] = defaultdict(set)
        for h in starts:
            second = h[1] if len(h) > 1 else ANY
            # a head shorter than DEPTH may end there: any word may follow
            thirds[h[0], second].add(h[2] if len(h) > 2 and second != ANY else ANY)
        for pair, after in thirds.items():
            by_pair[pair][owner].append((expanded, after))
    compiled: dict[tuple[str, ...], re.Pattern[str]] = {}  # the same group under many keys

    def once(group: list[str]) -> re.Pattern[str]:
        if tuple(group) not in compiled:
            compiled[tuple(group)] = whole_words(group)
        return compiled[tuple(group)]

    index: dict[Key, Owned] = {}
    for (first, second), owners in by_pair.items():
        known = {t for group in owners.values() for _, ts in group for t in ts} - {ANY}
        for third in [*sorted(known), ANY]:
            index[first, second, third] = [
                (owner, once(kept))
                for owner, group in owners.items()
                if (kept := [p for p, ts in group if ANY in ts or third in ts])
            ]
    return index, [(owner, whole_words(group)) for owner, group in anywhere.items()]


def by_first_word(index: dict[Key, Owned]) -> ByFirst:
    """The index by first word, then second, then third: at each level the patterns for that
    word and then those for any word there (one list, so the check makes none as it reads)."""
    found: ByFirst = {}
    for (first, second, third), owned in index.items():
        seconds, any_second = found.setdefault(first, ({}, []))
        if second == ANY:
            any_second.extend(owned)
            continue
        thirds, any_third = seconds.setdefault(second, ({}, []))
        if third == ANY:
            any_third.extend(owned)
        else:
            thirds[third] = list(owned)
    for seconds, any_second in found.values():
        for thirds, any_third in seconds.values():
            for owned in thirds.values():
                owned.extend(any_second)
            any_third.extend(any_second)
    return found


def parse(source: str) -> Rules:
    data = tomllib.loads(source)
    words = data.get("words", {})
    for name in (n for _, p in owned_patterns(data) for n in WORD_CLASS.findall(p)):
        if name != "start" and name not in words:
            raise ValueError(f"tone rules: {{{name}}} is not among [words]")
    index, anywhere = filed(owned_patterns(data), words)
    return Rules(
        rules=tuple(rule_from(entry) for entry in data["rules"]),
        index=index,
        anywhere=anywhere,
        by_first=by_first_word(index),
    )


@cache
def loaded() -> Rules:
    """The rules of tone_rules.toml, compiled on first use and kept for the process."""
    return parse(RULES_FILE.read_text(encoding="utf-8"))
