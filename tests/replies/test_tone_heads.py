"""tone_heads: the first two words a pattern can start with. Too wide is slow; too narrow
would make a rule miss words, so every doubt answers ANY ("*")."""

import pytest

from relaydesk.replies.tone_heads import ANY, heads

WORDS = {"documents": "terms|manual|fine print", "past": "\\w+ed|known|read"}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("you should have", {("you", "should")}),
        (
            "(you|we) (should|must) have",
            {("you", "should"), ("you", "must"), ("we", "should"), ("we", "must")},
        ),
        ("the {documents} (is|are)", {("the", "terms"), ("the", "manual"), ("the", "fine")}),
        (
            "you (really )?{past}",
            {("you", "really"), ("you", ANY), ("you", "known"), ("you", "read")},
        ),
        ("you (\\w+ ){1,6}without", {("you", ANY)}),
        ("you (\\w+ ){0,2}too late", {("you", ANY), ("you", "too")}),
        ("you('ll| will) have", {("you", "ll"), ("you", "will")}),
        ("that's our policy", {("that", "s")}),
        (
            "{start}(obviously|clearly)(,| )",
            {("obviously", ANY), ("obviously",), ("clearly", ANY), ("clearly",)},
        ),
        ("it (never )?happen(ed)? that way", {("it", "never"), ("it", ANY)}),
        ("manages? to", {(ANY,)}),
        ("\\bfyi\\b", {("fyi",)}),
        ("take a deep breath(?! of)", {("take", "a")}),
        ("99% of", {("99", ANY)}),
        ("(please )?calm down", {("please", "calm"), ("calm", "down")}),
    ],
)
def test_heads(pattern, expected):
    assert heads(pattern, WORDS) == expected


def test_a_stop_after_a_word_does_not_make_it_any_word():
    assert heads("(?<=,\\s)period[.!]", WORDS) == {("period", ANY)}
    assert heads("word[a-z]", WORDS) == {(ANY,)}
