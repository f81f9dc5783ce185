"""A no or a difference of view followed in the same sentence by what we are doing for the
customer is saying no kindly (the "kind_turn" exemption of tone_rules.toml); the same words
without the kind next step, or with it only in the next sentence, still warn."""

import pytest

from relaydesk.replies.tone import check_with

KIND = [
    "Sales are final after 30 days, but it's been 20, so I've refunded you.",
    "We aren't obliged to open early, but we'd be glad to: come at 7.",
    "Once it's delivered it's usually out of our hands, but we'll trace it anyway.",
    "Claims after 24 hours are normally closed, but yours is clear, so we'll pay.",
]
STILL_WARN = [
    "All sales are final, no exceptions.",
    "That's our policy. But we'll refund you.",
    "There is nothing we can do, but we will keep your feedback on file.",
]


@pytest.mark.parametrize("text", KIND)
def test_a_no_followed_by_a_kind_next_step_is_fine(text):
    assert check_with(text, None) == []


@pytest.mark.parametrize("text", STILL_WARN)
def test_a_no_without_a_kind_next_step_in_its_sentence_still_warns(text):
    assert check_with(text, None)
