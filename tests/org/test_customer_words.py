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
