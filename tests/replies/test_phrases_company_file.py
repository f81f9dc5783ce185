"""The phrase library from the company file ([[phrases]]) and the defaults a new company gets."""

import textwrap

import pytest

from relaydesk.org.models import Company
from relaydesk.replies.models import Phrase, Principle
from relaydesk.replies.phrases_defaults import default_phrases
from relaydesk.setup.company_apply import apply_spec
from relaydesk.setup.company_file import CompanyFileError, read_company_text

pytestmark = pytest.mark.django_db

COMPANY = """\
[company]
name = "Harbour Books"

[[tiers]]
slug = "frontline"
name = "Frontline"

[[tiers]]
slug = "executive"
name = "Executive"
"""

PHRASES = """\

[[phrases]]
title = "Late parcel"
text = "Your parcel is late, and that is on us: our courier missed the van."
principle = "take the blame"
tags = ["Delivery", "courier", "delivery"]

[[phrases]]
title = "No refunds on e-books"
text = "I wish I could refund an e-book once it is downloaded; I can swap it for another."
principle = "say_no_kindly"
"""


def _apply(text: str):
    return apply_spec(read_company_text(textwrap.dedent(text)))


def test_a_new_company_starts_with_the_default_phrases():
    summary = _apply(COMPANY)

    defaults = default_phrases()
    assert Phrase.objects.filter(owner__isnull=True).count() == len(defaults)
    assert summary.created["phrases"] == len(defaults)
    assert set(Phrase.objects.values_list("principle", flat=True)) == set(Principle.values)


def test_an_existing_company_does_not_get_the_defaults_back():
    _apply(COMPANY)
    Phrase.objects.all().delete()  # the company chose to start its library from scratch

    summary = _apply(COMPANY)

    assert not Phrase.objects.exists()
    assert "phrases" not in summary.created


def test_the_file_adds_company_wide_phrases_and_applying_it_again_changes_nothing():
    _apply(COMPANY + PHRASES)

    late = Phrase.objects.get(title="Late parcel")
    assert late.owner is None
    assert late.principle == Principle.TAKE_THE_BLAME
    assert late.tag_list == ["delivery", "courier"]
    no = Phrase.objects.get(title="No refunds on e-books")
    assert no.principle == Principle.SAY_NO_KINDLY
    assert no.tags == ""
    assert not _apply(COMPANY + PHRASES).changed


def test_the_file_updates_a_phrase_by_its_title_and_keeps_those_it_does_not_name():
    _apply(COMPANY + PHRASES)
    kept = Phrase.objects.filter(owner__isnull=True).count()

    summary = _apply(COMPANY + PHRASES.replace("our courier missed the van", "we were slow"))

    assert summary.updated == {"phrases": 1}
    assert Phrase.objects.get(title="Late parcel").text.endswith("that is on us: we were slow.")
    assert Phrase.objects.filter(owner__isnull=True).count() == kept


def test_a_bad_principle_is_reported_at_its_line_and_nothing_is_written():
    text = COMPANY + PHRASES.replace('"say_no_kindly"', '"blame the customer"')
    line = text.splitlines().index('principle = "blame the customer"') + 1

    with pytest.raises(CompanyFileError) as error:
        read_company_text(text)

    message = str(error.value)
    assert f'company.toml, line {line}: phrases[2].principle: unknown principle "blame the' in (
        message
    )
    assert "take the blame, blow out the dust, apologise" in message
    assert not Company.objects.exists() and not Phrase.objects.exists()


def test_every_phrase_needs_a_title_and_text_and_a_title_is_given_once():
    text = (
        COMPANY
        + PHRASES
        + PHRASES.replace('"Late parcel"', '""')
        .replace('title = "No refunds on e-books"', 'title = "Late parcel"')
        .replace('\ntext = "I wish', '\nwords = "I wish')
    )
    lines = text.splitlines()

    with pytest.raises(CompanyFileError) as error:
        read_company_text(text)

    message = str(error.value)
    empty = lines.index('title = ""') + 1
    assert f"line {empty}: phrases[3].title: must not be empty" in message
    twice = [n for n, line in enumerate(lines, start=1) if line == 'title = "Late parcel"']
    assert f'line {twice[0]}: phrases[1].title: another [[phrases]] has the title "Late' in message
    assert 'phrases[4]: unknown key "words"' in message
    assert 'phrases[4]: needs "text"' in message
