"""The text the tone rules read: the reply as typed, made plain without moving a character.

Every step keeps the length of the text, so an offset found in the plain text is the offset
in the text as typed (Python string indices: one per Unicode code point, so an emoji or a
curly apostrophe counts as one character).
"""

import re

# Curly apostrophes and quotes written as plain ones, so rules need only one spelling.
PLAIN = str.maketrans(
    {
        "\u2019": "'",  # ’ right single quote: the apostrophe most keyboards type
        "\u2018": "'",  # ‘
        "\u02bc": "'",  # ʼ modifier apostrophe
        "\u2032": "'",  # ′ prime
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u00a0": " ",  # no-break space
        "\u2009": " ",  # thin space
        "\u202f": " ",  # narrow no-break space
    }
)
HIDDEN = "\x00"  # what quoted words become: no pattern matches across it

# The customer's own words: a mail-quoted line ("> …") or words between double quotes on one
# line (so a lone inch mark never hides the rest of the reply).
MAIL_QUOTE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
QUOTED = re.compile(r'"[^"\n]{1,400}"')

TOKEN = re.compile(r"[\w']+")
CLAUSE_END = re.compile(r"[.!?;:,\n()\u2014\u2013\x00]|\s-\s")
NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "neither",
        "nor",
        "hardly",
        "without",
        "isnt",
        "cannot",
    ]
)


def lower_in_place(text: str) -> str:
    """Lower case, character for character (a letter whose lower case is longer stays)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def plain_quotes(text: str) -> str:
    """text.translate(PLAIN), faster: str.translate with a table looks up every character,
    which costs a fifth of a millisecond on a 2,000-character reply; replace() is a C loop."""
    for curly, straight in PLAIN.items():
        character = chr(curly)
        if character in text:
            text = text.replace(character, straight)
    return text


def plain(text: str) -> str:
    """The text as the rules read it: lower case, plain quotes, the customer's words hidden."""
    flat = lower_in_place(plain_quotes(text))
    flat = MAIL_QUOTE.sub(lambda m: HIDDEN * len(m.group()), flat)
    return QUOTED.sub(lambda m: HIDDEN * len(m.group()), flat)


# A match that opens a clause of its own ("because you …") is negated only right before it
# ("not because you …"): "the bin wasn't emptied because you …" still blames.
CONJUNCTIONS = frozenset(["because", "since", "as", "so", "which", "when", "if", "and", "but"])


def negated_before(flat: str, start: int, window: int = 3) -> bool:
    """Whether one of the `window` words before `start`, in the same clause, negates it."""
    first = TOKEN.match(flat, start)
    if first and first.group() in CONJUNCTIONS:
        window = 1
    before = flat[max(0, start - 80) : start]
    clause_starts = [m.end() for m in CLAUSE_END.finditer(before)]
    if clause_starts:
        before = before[clause_starts[-1] :]
    words = TOKEN.findall(before)[-window:]
    return any(word in NEGATIONS or word.endswith("n't") for word in words)


SENTENCE_END = re.compile(r"[.!?\n]")


def sentence_of(flat: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around `start`..`end`: from after the last stop before it to the next stop."""
    window = max(0, start - 400)
    before = max((m.end() for m in SENTENCE_END.finditer(flat, window, start)), default=window)
    after = SENTENCE_END.search(flat, end)
    return before, after.start() if after else len(flat)
