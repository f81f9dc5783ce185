"""customer_words: our defaults pass their own checks, and filling never reads a value twice."""

import pytest

from relaydesk.org.customer_words import PLACEHOLDERS, TEXTS, fill, problems
from tests.cli.processes import REPO


@pytest.mark.parametrize("name", list(TEXTS))
def test_each_of_our_texts_passes_the_checks_a_company_text_must_pass(name):
    text = TEXTS[name]

    assert problems(name, text.default) == []
    assert set(text.placeholders) <= set(PLACEHOLDERS)


def test_a_value_is_put_in_as_it_is_never_read_for_placeholders_again():
    filled = fill(
        "{{ref}} {name} wrote: {reply}",
        {"name": "Ann {ref} \\1 {{", "reply": "{status_link} {ref.__class__} {0}", "ref": "RD-1"},
    )

    assert filled == "{ref} Ann {ref} \\1 {{ wrote: {status_link} {ref.__class__} {0}"


def test_every_text_and_placeholder_is_in_the_configuration_docs():
    docs = (REPO / "docs" / "configuration.md").read_text()

    for text in TEXTS.values():
        row = next(line for line in docs.splitlines() if line.startswith(f"| `{text.name}` |"))
        may_use, must_use = row.split(" | ")[2:4]
        assert may_use.replace("—", "") == ", ".join(f"`{{{p}}}`" for p in text.may_use)
        assert must_use.rstrip(" |").replace("—", "") == ", ".join(
            f"`{{{p}}}`" for p in text.must_use
        )
    for placeholder in PLACEHOLDERS:
        assert f"| `{{{placeholder}}}` |" in docs


def test_a_one_line_text_may_not_break_a_line_in_any_way():
    assert problems("acknowledgement_subject", "Ours\rBcc: x@example.com") == [
        "acknowledgement_subject is one line: write it without line breaks"
    ]


@pytest.mark.parametrize(
    ("name", "template", "found"),
    [
        (
            "wait_until",
            "Write again from {when}.",
            [
                "unknown placeholder {when}; wait_until may use {ref}, {subject}, {name}, "
                "{first_name}, {company}, {until}",
                "wait_until must use {until}",
            ],
        ),
        (
            "wait_heading",
            "Wait until {until}",
            [
                "unknown placeholder {until}; wait_heading may use {ref}, {subject}, {name}, "
                "{first_name}, {company}"
            ],
        ),
        (
            "wait_back",
            "Back to {ref.__class__}",
            ["{ref.__class__}: write a placeholder alone, like {ref}, without . or [ ] after it"],
        ),
        (
            "wait_typed_note",
            "Copy it.\nThen send it.",
            ["wait_typed_note is one line: write it without line breaks"],
        ),
        (
            "contact_wait_address",
            "Dear {name}, your case {ref} can wait.",
            [
                "unknown placeholder {name}; contact_wait_address may use {company}",
                "unknown placeholder {ref}; contact_wait_address may use {company}",
            ],
        ),
        (
            "contact_wait_network",
            "Try again from {until}",
            ["unknown placeholder {until}; contact_wait_network may use {company}"],
        ),
    ],
)
def test_a_wait_pages_text_with_a_placeholder_its_page_cannot_fill_is_refused(
    name, template, found
):
    assert problems(name, template) == found


def test_the_wait_pages_texts_may_use_what_their_page_knows():
    assert problems("wait_until", "{first_name}, {company} reads {ref}: from {until}") == []
    assert problems("contact_wait_address", "{company} has your messages; wait {{1h}}") == []
