"""The tone check's second opinion (tone_model): it adds warnings the rules miss, carries what
a rule's warning carries, stays quiet wherever an exemption or a rule has spoken, and is the
same every time it is trained."""

import pytest

from bench.tone_train import as_json, rule_examples, train
from relaydesk.replies import tone_model
from relaydesk.replies.tone import check, check_with
from relaydesk.replies.tone_rules import loaded

# A flat rule stated as a fact: no rule knows these words (the rules widened in round four
# learnt "alterations are final once collected", the model's earlier example).
CLOSING = "Hello, deposits are non-refundable."
FINAL = "Hi Raj, sale items are non-returnable."


@pytest.mark.parametrize("text", [CLOSING, FINAL])
def test_the_model_adds_a_warning_the_rules_miss(text):
    assert check_with(text, None) == []

    [warning] = check(text)

    assert warning.rule == "model.dismiss"


def test_its_warning_carries_offsets_rule_why_and_suggestion_like_a_rule():
    text = "Hi Raj \U0001f44b, sale items are non-returnable."

    [warning] = check(text)

    why = tone_model.category_rules()["dismiss"].why
    assert (warning.rule, warning.why) == ("model.dismiss", why)
    assert warning.suggestion
    # the words that drove it, counted with the emoji as one character (shifted by one, the
    # marked text would start or end inside a word)
    marked = text[warning.start : warning.end]
    assert marked in "sale items are non-returnable"
    assert text[warning.start - 1] == " " and not text[warning.end].isalpha()
    assert set(warning.as_dict()) == {"start", "end", "rule", "why", "suggestion"}


@pytest.mark.parametrize(
    "text",
    [
        "Sale items are non-returnable, easily done to miss that.",
        "You were given the wrong date by our agent, so sale items are non-returnable.",
    ],
    ids=["owned up in the sentence", "the customer as the one we wronged"],
)
def test_it_stays_quiet_where_an_exemption_holds(text):
    assert [w.rule for w in check(text)] == []


@pytest.mark.parametrize(
    "text",
    [
        f'You wrote "{CLOSING.removeprefix("Hello, ")}" and you were right to be cross.',
        "> Sale items are non-returnable.\nThanks, I'll look into it.",
    ],
    ids=["quoted", "mail-quoted"],
)
def test_it_never_reads_the_customers_own_words(text):
    assert [w.rule for w in check(text)] == []


def test_it_stays_quiet_in_a_sentence_the_rules_already_warned_about():
    text = "Sale items are non-returnable, that's our policy."

    [warning] = check(text)

    assert (warning.rule, text[warning.start : warning.end]) == (
        "dismiss.policy",
        "that's our policy.",
    )


def test_the_rules_fine_examples_stay_quiet_with_the_model():
    said = {e: check(e) for rule in loaded().rules for e in rule.fine}

    assert {e: [w.rule for w in found] for e, found in said.items() if found} == {}


def test_the_rules_alone_are_what_the_bench_compares_against():
    model = tone_model.loaded()
    assert model is not None and 0.5 <= model.threshold < 1
    assert check_with(FINAL, model) == check(FINAL)


def test_training_is_deterministic():
    rows = rule_examples()

    first, second = train(rows, 0.8), train(rows, 0.8)

    assert as_json(first, 0.8) == as_json(second, 0.8)
    assert first.weights


@pytest.mark.parametrize(
    "text",
    [
        "Hello, deposits are non-refundable. I've refunded yours, as the room was never ready.",
        "Hi Raj, sale items are non-returnable, so we've refunded the other two.",
    ],
)
def test_it_stays_quiet_before_what_we_have_done_for_the_customer(text):
    assert check_with(text, None) == []

    assert check(text) == []
