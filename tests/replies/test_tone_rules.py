"""The tone check (rule 10): every rule's own examples from tone_rules.toml, for and against,
then offsets in the text as typed and the exemptions."""

import json
import re
import tomllib
from pathlib import Path

import pytest

from relaydesk.replies.tone import check
from relaydesk.replies.tone_rules import RULES_FILE, loaded, parse

MARKED = re.compile(r"\[(.+?)\]")


def unmarked(example: str) -> tuple[str, tuple[int, int]]:
    """'Well, [you should have read] it.' → the text and where the [marked] words are."""
    marked = MARKED.search(example)
    assert marked, f"a warning example marks its offending words in [brackets]: {example!r}"
    text = example.replace("[", "", 1).replace("]", "", 1)
    return text, (marked.start(), marked.end() - 2)


WARNS = [(rule.id, example) for rule in loaded().rules for example in rule.warns]
FINE = [(rule.id, example) for rule in loaded().rules for example in rule.fine]


def test_every_rule_has_examples_for_and_against():
    for rule in loaded().rules:
        assert len(rule.warns) >= 3 and len(rule.fine) >= 3, rule.id
        assert rule.why.endswith(".") and rule.suggestion, rule.id
        assert rule.category in {"blame", "argue", "lecture", "dismiss"}, rule.id


@pytest.mark.parametrize(("rule", "example"), WARNS, ids=[f"{r}: {e}" for r, e in WARNS])
def test_the_rule_warns_about_its_words(rule, example):
    text, (start, end) = unmarked(example)

    warnings = check(text)

    overlapping = [w for w in warnings if w.start < end and start < w.end]
    found = [(w.rule, text[w.start : w.end]) for w in warnings]
    assert [w.rule for w in overlapping] == [rule], found


@pytest.mark.parametrize(("rule", "example"), FINE, ids=[f"{r}: {e}" for r, e in FINE])
def test_the_rule_leaves_fine_words_alone(rule, example):
    warnings = check(example)

    assert warnings == [], [(w.rule, example[w.start : w.end]) for w in warnings]


def test_a_warning_carries_the_rule_why_and_a_better_phrase():
    [warning] = check("You should have read the terms.")

    assert (warning.start, warning.end, warning.rule) == (0, 20, "blame.should_have")
    assert warning.why.startswith("Telling the customer what they should have done")
    assert warning.suggestion
    assert warning.as_dict() == {
        "start": 0,
        "end": 20,
        "rule": "blame.should_have",
        "why": warning.why,
        "suggestion": warning.suggestion,
    }


# Offsets: characters of the text as typed ------------------------------------------------------


def test_offsets_count_emoji_and_accents_as_one_character_each():
    text = "Olá Zoë 👋🏽! Obviously the café’s router needs a restart."

    [warning] = check(text)

    assert text[warning.start : warning.end] == "Obviously"
    assert warning.start == 12  # "👋🏽" is two code points, as Python and Array.from count


def test_a_curly_apostrophe_matches_like_a_straight_one():
    text = "Hi Ana 🙂\nThat’s our policy. If you’d read the terms… you’d know."

    warnings = check(text)

    assert [(w.rule, text[w.start : w.end]) for w in warnings] == [
        ("dismiss.policy", "That’s our policy."),
        ("blame.if_you_had", "If you’d read"),
    ]


def test_a_letter_whose_lower_case_is_longer_moves_no_offset():
    text = "İstanbul office: you should have called us first."  # "İ".lower() is two characters

    [warning] = check(text)

    assert text[warning.start : warning.end] == "you should have called"


def test_a_blaming_word_split_over_a_line_break_is_still_found():
    text = "Dear Sam,\n\nyou should\nhave checked the size."

    [warning] = check(text)

    assert text[warning.start : warning.end] == "you should\nhave checked"


# Exemptions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'You wrote "you should have warned me", and you are right.',
        "You wrote “obviously nobody reads these mails” — fair enough, we've rewritten it.",
        "> As I said, it's your fault the parcel is late!\n\nWe've sent a new one today.",
        "On Monday you wrote:\n> calm down? I'm perfectly calm\n\nI'm sorry for that line.",
    ],
)
def test_the_customers_own_quoted_words_are_not_checked(text):
    assert check(text) == []


def test_words_after_the_quote_are_checked_again():
    text = "You wrote \"that's our policy\", but honestly, that's our policy."

    [warning] = check(text)

    assert text[warning.start : warning.end] == "that's our policy."


@pytest.mark.parametrize(
    "text",
    [
        "That's on us, and I'm sorry.",
        "It was our fault: the form accepted the wrong date.",
        "The mistake is ours, and we've refunded the fee.",
        "We should have told you about the change.",
        "Clearly we let you down here.",
    ],
)
def test_the_company_taking_the_blame_is_fine(text):
    assert check(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "You should receive the refund by Friday.",
        "You should have received a new password by now.",
        "Simply reply to this mail and we'll do the rest.",
        "Just let us know which day suits you.",
        "You must have been so worried.",
        "As promised, here is the receipt.",
    ],
)
def test_future_and_kind_uses_are_fine(text):
    assert check(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "This is not your fault.",
        "None of this was your mistake.",
        "Nobody could have known the update would do that.",
        "I'm not saying you should have called; you did everything right.",
        "You did nothing wrong.",
    ],
)
def test_negated_blame_is_fine(text):
    assert check(text) == []


def test_a_negation_in_another_clause_does_not_hide_blame():
    text = "We didn't get the form, because you failed to send it."

    assert [w.rule for w in check(text)] == ["blame.failed_to"]


@pytest.mark.parametrize(
    "text",
    [
        "It looks like you clicked the wrong button, which is easily done: ours sit too close.",
        "You sent it to the wrong address, an easy mistake to make, and I've redirected it.",
        "It's easy to see why you misread it: our letter had the dates the wrong way round.",
    ],
)
def test_a_sentence_where_we_own_the_mistake_is_fine(text):
    assert check(text) == []


def test_owning_up_in_one_sentence_does_not_clear_the_next():
    text = "That's on us. You sent it to the wrong address, so it came back."

    [warning] = check(text)

    assert warning.rule.startswith("blame.")
    assert text[warning.start :].startswith("You sent it to the wrong address")


def test_a_rule_with_needs_warns_only_where_its_sentence_has_them():
    """blame.cause_and_cost: what the customer did, next to what it costs them."""
    costly = "You booked the saver fare, so changes cost extra."
    alone = "You booked the saver fare. Changes cost extra on every fare after the 1st."

    assert [w.rule for w in check(costly)] == ["blame.cause_and_cost"]
    assert check(alone) == []


# The rules file ---------------------------------------------------------------------------------


def test_a_new_rule_in_the_file_works_with_its_word_classes(monkeypatch):
    from relaydesk.replies import tone

    source = RULES_FILE.read_text(encoding="utf-8") + (
        '\n[[rules]]\nid = "lecture.rtfm"\ncategory = "lecture"\nwhy = "Rude."\n'
        'suggestion = "Here is the step."\n'
        'patterns = ["rtfm", "the {documents} (is|are) your (best )?friend"]\n'
    )
    monkeypatch.setattr(tone, "loaded", lambda: parse(source))

    text = "The manual is your best friend. Or just rtfm."
    assert [(w.rule, text[w.start : w.end]) for w in check(text)] == [
        ("lecture.rtfm", "The manual is your best friend"),
        ("lecture.rtfm", "rtfm"),
    ]


def test_check_is_quick_to_return_nothing_for_an_empty_reply():
    assert check("") == [] and check("   \n ") == []


def test_filing_patterns_by_their_first_words_never_loses_a_warning(monkeypatch):
    """The speed-up (tone_heads) against the plain way: every pattern scanned everywhere."""
    from collections import defaultdict
    from dataclasses import replace

    from relaydesk.replies import tone
    from relaydesk.replies import tone_rules as rules_module

    data = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    by_owner = defaultdict(list)
    for owner, pattern in rules_module.owned_patterns(data):
        by_owner[owner].append(rules_module.expand(pattern, data["words"]))
    scanned = [(owner, rules_module.whole_words(p)) for owner, p in by_owner.items()]
    everywhere = replace(loaded(), index={}, by_first={}, anywhere=scanned)
    texts = [unmarked(example)[0] for _, example in WARNS] + [example for _, example in FINE]
    labelled = Path(__file__).parents[2] / "bench" / "data" / "tone_replies.jsonl"
    texts += [
        json.loads(line)["text"] for line in labelled.read_text(encoding="utf-8").splitlines()
    ]
    filed = [check(text) for text in texts]

    monkeypatch.setattr(tone, "loaded", lambda: everywhere)

    for text, found in zip(texts, filed, strict=True):
        for scanned_warning in check(text):  # each is covered by a filed one of its rule
            assert any(
                w.rule == scanned_warning.rule
                and w.start < scanned_warning.end
                and scanned_warning.start < w.end
                for w in found
            ), (text, scanned_warning)


def test_the_phrases_we_suggest_never_warn():
    """The library's default phrases (written apart from these rules) are what a warning
    suggests: none of them may warn itself."""
    from relaydesk.replies.phrases_defaults import DEFAULTS_FILE

    phrases = tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))["phrases"]

    assert len(phrases) >= 40
    assert {p["title"]: check(p["text"]) for p in phrases if check(p["text"])} == {}
    assert all(check(rule.suggestion) == [] for rule in loaded().rules)
