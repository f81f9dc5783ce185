"""The words a tone pattern can start with, two deep: ("you", "should"), ("as", "stated") …

The check tries a pattern only where the reply has its first words (tone_rules files
patterns by the first three), which keeps a 2,000-character reply under 2 ms. The answer may
be too wide (ANY, "*": any word) but never too narrow, or a rule would miss words.
"""

import re

ANY = "*"
WORD = re.compile(r"[^\W_]+")  # how the reply is cut into words, apostrophes and dashes apart
RUN = re.compile(r"[\w'&-]+")
QUANTIFIER = re.compile(r"\{(\d*),?\d*\}")
Heads = set[tuple[str, ...]]


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


def _repeat(pattern: str, i: int) -> tuple[bool, int]:
    """After an element at `i`: (may it be absent?, where the next element starts)."""
    if i < len(pattern) and pattern[i] in "?*+":
        return pattern[i] in "?*", i + 1 + (pattern[i + 1 : i + 2] == "?")
    counted = QUANTIFIER.match(pattern, i)  # {1,6}, not a {word class}
    if counted:
        return counted.group(1) in ("", "0"), counted.end() + (pattern[counted.end() :][:1] == "?")
    return False, i


def _glued(pattern: str, i: int) -> bool:
    """Whether a word run ending before `i` goes on inside what follows (happen(ed)?, manages?)."""
    if i >= len(pattern) or pattern[i] in " |)" or pattern.startswith(("\\b", "\\s"), i):
        return False
    if pattern[i] == "[":  # [.!] ends the word; [a-z] or [\w-] goes on with it
        return bool(re.search(r"\\w|[a-z]", pattern[i + 1 : pattern.index("]", i + 2)]))
    if pattern[i] != "(":
        return bool(re.match(r"[\w\\?*+{]", pattern[i]))
    inner = pattern[i + 1 : closing(pattern, i)]
    if inner.startswith(("?=", "?!", "?<")):
        return False
    return any(re.match(r"[\w\\\[]", alt) for alt in alternatives(inner.removeprefix("?:")))


def _group(pattern: str, i: int, words: dict[str, str], depth: int) -> tuple[Heads, int]:
    end = closing(pattern, i)
    inner = pattern[i + 1 : end]
    if inner.startswith(("?=", "?!", "?<")):
        return {()}, end + 1  # a look-around matches no words
    found: Heads = set()
    for alternative in alternatives(inner.removeprefix("?:")):
        found |= heads(alternative, words, depth)
    optional, after = _repeat(pattern, end + 1)
    return found | {()} if optional else found, after


def _element(pattern: str, i: int, words: dict[str, str], depth: int) -> tuple[Heads, int]:
    """The word sequences one element of `pattern` at `i` can start with, and the next index."""
    char = pattern[i]
    if char in " ^":
        return {()}, i + 1
    if pattern.startswith(("\\b", "\\s"), i):
        return {()}, _repeat(pattern, i + 2)[1]
    if pattern.startswith("{start}", i):
        return {()}, i + len("{start}")
    if char == "{":
        end = pattern.index("}", i)
        return heads(f"({words[pattern[i + 1 : end]]})", words, depth), end + 1
    if char == "(":
        return _group(pattern, i, words, depth)
    run = RUN.match(pattern, i)
    if run is None:  # \w, \d, [...], a dot: some word we cannot name
        end = _skip_atom(pattern, i)
        optional, after = _repeat(pattern, end)
        return {(ANY,), ()} if optional else {(ANY,)}, after
    tokens = tuple(WORD.findall(run.group()))
    if _glued(pattern, run.end()):
        # the last word goes on in what follows (a group or a letter made optional): any word
        return {(*tokens[:-1], ANY)}, _repeat(pattern, run.end())[1]
    return {tokens}, run.end()


def _skip_atom(pattern: str, i: int) -> int:
    """The index after one atom that is not a word: \\w, [...], a dot, a comma."""
    if pattern[i] == "\\":
        return i + 2
    if pattern[i] == "[":
        return pattern.index("]", i + 2) + 1
    return i + 1


def heads(pattern: str, words: dict[str, str], depth: int = 2) -> Heads:
    """The sequences of up to `depth` words that `pattern` can start with."""
    prefixes: Heads = {()}
    i = 0
    while i < len(pattern) and any(len(p) < depth for p in prefixes):
        element, i = _element(pattern, i, words, depth)
        prefixes = {
            p if len(p) >= depth or ANY in p else (p + e)[:depth] for p in prefixes for e in element
        }
    return prefixes
