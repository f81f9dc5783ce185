"""The default phrases we wrote: enough of them, for every moment, each one whole."""

from collections import Counter

from relaydesk.replies.models import Principle
from relaydesk.replies.phrases_defaults import default_phrases
from relaydesk.replies.tone import check


def test_there_are_at_least_forty_and_every_principle_has_five_or_more():
    phrases = default_phrases()
    by_principle = Counter(phrase.principle for phrase in phrases)

    assert len(phrases) >= 40
    assert set(by_principle) == set(Principle.values)
    assert min(by_principle.values()) >= 5


def test_titles_are_unique_and_every_phrase_is_a_finished_sentence():
    phrases = default_phrases()

    assert len({phrase.title for phrase in phrases}) == len(phrases)
    for phrase in phrases:
        assert phrase.title.strip() and len(phrase.title) <= 120
        assert phrase.text.rstrip().endswith((".", "?", ":", "!")), phrase.title
        assert phrase.tags, phrase.title


def test_no_default_phrase_sets_off_the_tone_check():
    """They are what the tone check suggests: a suggestion that warned would go round in circles."""
    warned = {phrase.title: check(phrase.text) for phrase in default_phrases()}

    assert {title: found for title, found in warned.items() if found} == {}
