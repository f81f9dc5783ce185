"""Asking the customer what happened is how we gather the facts, never blame: the tone check
(rules and the trained second opinion together) stays quiet on plain questions about what
they did."""

import pytest

from relaydesk.replies.tone import check

QUESTIONS = [
    "Which card did you use?",
    "Which card did you pay with?",
    "What did you order?",
    "When did you book?",
    "Which browser did you use?",
    "Did you get our email?",
    "Could you tell me which station you travelled from?",
    "What did the screen say when it stopped?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_plain_question_about_what_the_customer_did_is_fine(question):
    assert check(question) == []
