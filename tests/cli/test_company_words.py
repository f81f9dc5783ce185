"""`[customer_words]` in the company file: the texts the customer reads, in the company's words,
checked on load like the rest of the file (every problem at its line, nothing half applied)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from relaydesk.org.customer_words import TEXTS
from relaydesk.org.models import Company, CustomerWords

pytestmark = pytest.mark.django_db

COMPANY = """\
[company]
name = "Acme Rail"
time_zone = "Europe/Amsterdam"

[[tiers]]
slug = "frontline"
name = "Frontline"

[[tiers]]
slug = "executive"
name = "Executive"
"""

WORDS = '''\
[customer_words]
acknowledgement_subject = "{company} has your case: {subject}"
acknowledgement = """
Hello {first_name},

{company} has your case {ref}; you will hear from us {promise}.
Follow it here: {status_link}
"""
survey_heading = "How was it, {first_name}?"
'''


def init(tmp_path: Path, text: str) -> str:
    path = tmp_path / "company.toml"
    path.write_text(text)
    out = StringIO()
    call_command("init", str(path), stdout=out)
    return out.getvalue()


def problems_in(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(CommandError) as error:
        init(tmp_path, text)
    header, *lines = str(error.value).splitlines()
    assert header.endswith("nothing was changed.")
    return [line.split("company.toml, ", 1)[1] for line in lines]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def stored() -> dict[str, str]:
    return dict(CustomerWords.objects.values_list("name", "text"))


def test_init_stores_the_companys_words_and_a_rerun_changes_nothing(tmp_path):
    said = init(tmp_path, COMPANY + "\n" + WORDS)

    assert stored() == {
        "acknowledgement_subject": "{company} has your case: {subject}",
        "acknowledgement": "Hello {first_name},\n\n{company} has your case {ref}; you will "
        "hear from us {promise}.\nFollow it here: {status_link}\n",
        "survey_heading": "How was it, {first_name}?",
    }
    assert "created 3 customer words" in said
    assert init(tmp_path, COMPANY + "\n" + WORDS).strip() == (
        "Nothing to change: the company already matches the file."
    )


def test_a_text_left_out_is_kept_and_an_empty_one_or_our_own_is_ours_again(tmp_path):
    init(tmp_path, COMPANY + "\n" + WORDS)

    ours = TEXTS["acknowledgement_subject"].default
    said = init(
        tmp_path,
        COMPANY + f'\n[customer_words]\nacknowledgement = ""\nacknowledgement_subject = "{ours}"\n',
    )

    assert stored() == {"survey_heading": "How was it, {first_name}?"}
    assert "updated 2 customer words" in said


@pytest.mark.parametrize(
    ("line_text", "problem"),
    [
        (
            'survey_heading = "How was it, {customer}?"',
            "unknown placeholder {customer}; survey_heading may use {ref}, {subject}, {name}, "
            "{first_name}, {company}",
        ),
        (
            'status_open = "On it, {first_name.__class__}"',
            "{first_name.__class__}: write a placeholder alone, like {ref}, without . or [ ] "
            "after it",
        ),
        (
            'status_open = "On it, {name[0]}"',
            "{name[0]}: write a placeholder alone, like {ref}, without . or [ ] after it",
        ),
        ('status_open = "On it, {0}"', "{0} is not a placeholder: name one, like {ref}"),
        (
            'status_open = "On it, {}"',
            "{} is not a placeholder: name one, like {ref} (write {{ and }} for a brace)",
        ),
        (
            'status_open = "On it, {name!r}"',
            "{name!r}: write a placeholder alone, like {ref}, without ! or : after it",
        ),
        (
            'status_open = "On it, {name:>40}"',
            "{name:>40}: write a placeholder alone, like {ref}, without ! or : after it",
        ),
        (
            'status_open = "On it, {first_name"',
            "a { without its }: write {{ for a brace, or close the placeholder",
        ),
        ('status_open = "On it :}"', "a } without its {: write }} for a brace"),
        ('reply = "Kind regards, {writer}"', "reply must use {reply}, {status_link}"),
        (
            'solve = "{resolution}"',
            "solve must use {status_link}",
        ),
        (
            'survey_thanks = "Thanks!\\nReally."',
            "survey_thanks is one line: write it without line breaks",
        ),
        ("survey_thanks = 5", "must be text in quotes, not 5"),
        # The pages asking a customer to write again later: {until} only where the moment is,
        # and before there is a case (/contact) nothing about one.
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
def test_each_bad_text_is_refused_at_its_line_and_nothing_is_written(tmp_path, line_text, problem):
    text = COMPANY + f'\n[customer_words]\nmessage_received = "Got it."\n{line_text}\n'

    found = problems_in(tmp_path, text)

    key = line_text.partition(" =")[0]
    assert found == [f"line {line_of(text, line_text)}: customer_words.{key}: {problem}"]
    assert not Company.objects.exists()
    assert not CustomerWords.objects.exists()


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


def test_an_unknown_text_gets_a_hint_at_its_line(tmp_path):
    text = COMPANY + '\n[customer_words]\nacknowledgment = "Hi {name}: {status_link}"\n'

    found = problems_in(tmp_path, text)

    assert found == [
        f"line {line_of(text, 'acknowledgment =')}: customer_words: unknown key "
        '"acknowledgment"; did you mean "acknowledgement"?'
    ]


def test_a_bad_text_in_a_multi_line_string_is_reported_at_its_key(tmp_path):
    text = COMPANY + '\n[customer_words]\nacknowledgement = """\nHi {name},\n{ref.__class__}\n"""\n'

    found = problems_in(tmp_path, text)

    assert found == [
        f"line {line_of(text, 'acknowledgement =')}: customer_words.acknowledgement: "
        "{ref.__class__}: write a placeholder alone, like {ref}, without . or [ ] after it; "
        "acknowledgement must use {status_link}"
    ]


def test_the_file_knows_every_text_the_customer_reads(tmp_path):
    lines = "\n".join(f'{name} = ""' for name in TEXTS)

    init(tmp_path, COMPANY + f"\n[customer_words]\n{lines}\n")

    assert stored() == {}
