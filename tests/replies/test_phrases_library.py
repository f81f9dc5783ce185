"""The phrase library's rules: who sees and changes which phrase, search, the phrase the tone
check suggests, and uses counted."""

import pytest
import time_machine

from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.replies.models import Phrase, PhraseUse, Principle
from relaydesk.replies.phrases import phrase_for_principle, search, visible_to
from relaydesk.replies.phrases_actions import (
    PhraseFields,
    add_phrase,
    change_phrase,
    count_uses,
    delete_phrase,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _fields(title="Sorry for the wait", text="I'm sorry you waited.", principle="apologise", **kw):
    return PhraseFields(title=title, text=text, principle=principle, **kw)


def _company(cast, **kw) -> Phrase:
    return add_phrase(acting=cast.mia, company_wide=True, fields=_fields(**kw))


def test_anyone_adds_a_personal_phrase_that_only_they_see(cast):
    mine = add_phrase(acting=cast.fran, fields=_fields(tags=" Waiting, LATE,waiting "))

    assert mine.owner == cast.fran and mine.tags == "waiting, late"
    assert list(visible_to(cast.fran)) == [mine]
    assert not visible_to(cast.fiona).exists() and not visible_to(cast.mia).exists()
    assert search(cast.fiona, "sorry") == []


def test_only_leads_add_and_change_company_wide_phrases(cast):
    with pytest.raises(DomainError, match="Only leads, executives and admins add phrases"):
        add_phrase(acting=cast.fran, company_wide=True, fields=_fields())
    phrase = _company(cast)  # mia leads fran and sam

    with pytest.raises(DomainError, match="Only leads, executives and admins change"):
        change_phrase(phrase, acting=cast.fran, fields=_fields(text="Changed by Fran."))
    with pytest.raises(DomainError):
        delete_phrase(phrase, acting=cast.sam)
    change_phrase(phrase, acting=cast.ed, fields=_fields(text="Changed by the executive."))
    assert Phrase.objects.get().text == "Changed by the executive."
    assert visible_to(cast.fran).get() == phrase


def test_a_personal_phrase_is_changed_only_by_its_owner_even_by_a_lead(cast):
    mine = add_phrase(acting=cast.fran, fields=_fields())

    with pytest.raises(DomainError, match="Only the person who wrote a personal phrase"):
        change_phrase(mine, acting=cast.mia, fields=_fields(text="A lead's words."))
    delete_phrase(mine, acting=cast.fran)
    assert not Phrase.objects.exists()


def test_an_incomplete_phrase_or_a_second_company_title_is_refused(cast):
    with pytest.raises(Incomplete) as error:
        add_phrase(acting=cast.fran, fields=_fields(title=" ", text="", principle="blame"))
    assert set(error.value.fields) == {"title", "text", "principle"}
    _company(cast)

    with pytest.raises(DomainError, match="already has a phrase called “Sorry for the wait”"):
        _company(cast)
    add_phrase(acting=cast.fran, fields=_fields())  # a personal one may share the title


def test_search_needs_every_word_in_the_title_text_tags_or_principle(cast):
    wait = _company(cast, tags="late")
    blame = _company(
        cast, title="Our mistake", text="That was our fault.", principle="take_the_blame"
    )

    assert search(cast.fran, "SORRY waited") == [wait]
    assert search(cast.fran, "late") == [wait]
    assert search(cast.fran, "blame") == [blame]  # the principle's name
    assert search(cast.fran, "fault sorry") == []
    assert search(cast.fran, "\x00") == [blame, wait]  # NUL is no word: everything, by title


def test_the_suggestion_is_the_persons_own_phrase_first_then_the_most_used(cast):
    quiet = _company(cast, title="Quiet")
    popular = _company(cast, title="Popular")
    count_uses(acting=cast.sam, phrase_ids=[popular.pk])

    assert phrase_for_principle(Principle.APOLOGISE, person=cast.fran) == popular
    assert phrase_for_principle(Principle.APOLOGISE) == popular
    own = add_phrase(acting=cast.fran, fields=_fields(title="My own sorry"))
    assert phrase_for_principle(Principle.APOLOGISE, person=cast.fran) == own
    assert phrase_for_principle(Principle.APOLOGISE, person=cast.sam) == popular
    assert phrase_for_principle(Principle.MAKE_A_FAN, person=cast.fran) is None
    assert quiet.pk


def test_a_sent_reply_counts_each_phrase_it_carried_once_for_its_sender(cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    company = _company(cast)
    mine = add_phrase(acting=cast.fran, fields=_fields(title="Mine"))
    sams = add_phrase(acting=cast.sam, fields=_fields(title="Sam's"))

    with time_machine.travel("2026-12-05 10:00 +00:00", tick=False):
        uses = count_uses(
            acting=cast.fran,
            phrase_ids=[str(company.pk), company.pk, mine.pk, sams.pk, "x", "9" * 40, -1],
            case=case,
        )

    assert sorted(use.phrase_id for use in uses) == sorted([company.pk, mine.pk])
    use = PhraseUse.objects.get(phrase=company)
    assert (use.used_by, use.case, use.principle) == (cast.fran, case, "apologise")
    assert use.used_at.isoformat() == "2026-12-05T10:00:00+00:00"
    assert count_uses(acting=cast.fran, phrase_ids=[]) == []


def test_a_deleted_phrase_leaves_its_uses_counted_with_their_principle(cast):
    phrase = _company(cast)
    count_uses(acting=cast.fran, phrase_ids=[phrase.pk])

    delete_phrase(phrase, acting=cast.mia)

    use = PhraseUse.objects.get()
    assert use.phrase is None and use.principle == "apologise" and use.used_by == cast.fran


def test_a_nul_character_is_refused_before_the_database_sees_it(cast):
    with pytest.raises(Incomplete) as error:
        add_phrase(acting=cast.fran, fields=_fields(text="Sorry\x00", tags="a\x00b"))

    assert set(error.value.fields) == {"text", "tags"}
    assert search(cast.fran, "sorry\x00 " + "x" * 5000) == []  # a long search is cut short
