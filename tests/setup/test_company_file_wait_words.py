"""`[customer_words]` in the company file knows the pages asking a customer to write again later
(the status page's wait, /contact's limits): their texts are stored like the others, and one
naming a placeholder its page cannot fill is refused at its line, nothing written."""

import pytest

from relaydesk.org.models import Company, CustomerWords
from tests.cli.test_company_words import COMPANY, init, line_of, problems_in, stored

pytestmark = pytest.mark.django_db

WAIT_WORDS = """\
[customer_words]
wait_heading = "Easy there, {first_name}"
wait_until = "We read all you sent on {ref}; write again from {until}."
wait_typed_heading = "Your words, kept"
wait_typed_note = "Not sent yet: keep a copy."
wait_back = "Back to {ref}"
contact_wait_address = "{company} has your messages: reply to our mail."
contact_wait_network = "{company} hears a lot from your network: please wait an hour."
"""


def test_init_stores_the_wait_pages_words(tmp_path):
    said = init(tmp_path, COMPANY + "\n" + WAIT_WORDS)

    assert stored() == {
        "wait_heading": "Easy there, {first_name}",
        "wait_until": "We read all you sent on {ref}; write again from {until}.",
        "wait_typed_heading": "Your words, kept",
        "wait_typed_note": "Not sent yet: keep a copy.",
        "wait_back": "Back to {ref}",
        "contact_wait_address": "{company} has your messages: reply to our mail.",
        "contact_wait_network": "{company} hears a lot from your network: please wait an hour.",
    }
    assert "created 7 customer words" in said


@pytest.mark.parametrize(
    ("line_text", "problem"),
    [
        (
            'wait_until = "Write again from {when}."',
            "unknown placeholder {when}; wait_until may use {ref}, {subject}, {name}, "
            "{first_name}, {company}, {until}; wait_until must use {until}",
        ),
        (
            'wait_heading = "Wait until {until}"',
            "unknown placeholder {until}; wait_heading may use {ref}, {subject}, {name}, "
            "{first_name}, {company}",
        ),
        (
            'contact_wait_address = "Your case {ref} can wait."',
            "unknown placeholder {ref}; contact_wait_address may use {company}",
        ),
        (
            'contact_wait_network = "Wait, {first_name}"',
            "unknown placeholder {first_name}; contact_wait_network may use {company}",
        ),
        (
            'wait_back = "Back\\nto your case"',
            "wait_back is one line: write it without line breaks",
        ),
    ],
)
def test_a_wait_pages_bad_text_is_refused_at_its_line(tmp_path, line_text, problem):
    text = COMPANY + f'\n[customer_words]\nwait_typed_heading = "Kept"\n{line_text}\n'

    found = problems_in(tmp_path, text)

    key = line_text.partition(" =")[0]
    assert found == [f"line {line_of(text, line_text)}: customer_words.{key}: {problem}"]
    assert not Company.objects.exists()
    assert not CustomerWords.objects.exists()
