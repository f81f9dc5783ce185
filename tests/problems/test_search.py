"""The case index and find_cases, on the database the suite runs on (SQLite or PostgreSQL):
the index follows every change of a case's words, through the actions, with no rebuild."""

import pytest
from django.db.models import QuerySet

from relaydesk.cases import actions
from relaydesk.cases.models import Event
from relaydesk.problems import search
from relaydesk.problems.search import find_cases, highlight_marks
from tests import factories


def found(query: str, **kwargs) -> list[int]:
    return [hit.case_id for hit in find_cases(query, **kwargs)]


@pytest.fixture
def cases(cast):
    """Three cases of one company, in different words."""
    make = factories.make_case
    return {
        "twice": make(category=cast.billing, acting=cast.fran, subject="Charged twice in March"),
        "refund": make(
            category=cast.billing,
            acting=cast.fran,
            subject="Where is my refund?",
            details={"invoice": "INV-77", "amount": 42},
        ),
        "wifi": make(category=cast.billing, acting=cast.fran, subject="Wifi on the train is down"),
    }


def test_a_new_case_is_found_by_its_subject(cases):
    assert found("wifi") == [cases["wifi"].pk]


def test_words_are_found_by_their_stem(cases):
    assert found("charging") == [cases["twice"].pk]


def test_a_misspelt_word_finds_what_was_meant(cases):
    assert found("refnud") == [cases["refund"].pk]
    assert found("chargd") == [cases["twice"].pk]


def test_every_word_must_match_when_some_case_has_them_all(cases):
    assert found("charged march") == [cases["twice"].pk]
    assert found("charged wifi") and set(found("charged wifi")) == {
        cases["twice"].pk,
        cases["wifi"].pk,
    }


def test_details_values_are_indexed(cases, cast):
    assert found("INV-77") == [cases["refund"].pk]
    actions.update_details(cases["wifi"], acting=cast.fran, details={"invoice": "ZX-9912"})
    assert found("ZX-9912") == [cases["wifi"].pk]


def test_real_need_is_indexed(cases, cast):
    actions.update_details(cases["wifi"], acting=cast.fran, real_need="a working laptop socket")
    assert found("socket") == [cases["wifi"].pk]


def test_the_customers_words_are_indexed(cases):
    actions.customer_wrote(cases["refund"], body="The conductor promised a voucher", via="portal")
    assert found("voucher") == [cases["refund"].pk]


def test_automatic_mail_is_not_indexed(cases):
    actions.customer_wrote(cases["refund"], body="Out of office until Monday", automatic=True)
    assert found("office") == []


def test_our_replies_are_indexed(cases, cast):
    actions.reply(cases["wifi"], acting=cast.fran, body="The router in coach 7 is replaced.")
    assert found("router") == [cases["wifi"].pk]


def test_the_resolution_is_indexed(cases, cast):
    actions.solve(
        cases["twice"],
        acting=cast.fran,
        resolution="Refunded the duplicate direct debit",
        one_off_reason="A bank error",
    )
    assert found("debit") == [cases["twice"].pk]


def test_erased_words_leave_the_index(cases):
    event = actions.customer_wrote(cases["refund"], body="My passport number is X123", via="mail")
    assert found("passport") == [cases["refund"].pk]
    # What erasing a customer does to an event's words (rule 15): an UPDATE of its body,
    # past the append-only guard of Event's queryset.
    QuerySet.update(Event.objects.filter(pk=event.pk), body="[erased]", data={})
    assert found("passport") == []


def test_a_search_with_no_known_word_finds_nothing(cases):
    assert find_cases("zzzz qqqq") == []
    assert find_cases("") == []
    assert find_cases('"-OR AND NEAR(*') == []


def test_search_narrows_to_a_category(cases, cast):
    other = factories.make_category("delivery", "Delivery")
    moved = factories.make_case(
        category=other, acting=cast.fran, subject="Refund for a parcel", details={}
    )
    assert set(found("refund")) == {cases["refund"].pk, moved.pk}
    assert found("refund", category_id=other.pk) == [moved.pk]


def test_a_hit_marks_the_matched_words_in_plain_text(cases):
    (hit,) = find_cases("refund")
    assert "refund" in hit.snippet
    assert [hit.snippet[start:end].lower() for start, end in hit.marks] == ["refund"]
    assert "\x02" not in hit.snippet and "<" not in hit.snippet


def test_highlight_marks_escapes_the_customers_words():
    html = highlight_marks("<b>refund</b> me", [(3, 9)])
    assert html == "&lt;b&gt;<mark>refund</mark>&lt;/b&gt; me"


def test_rebuild_refills_the_index(cases):
    assert search.rebuild() >= 3
    assert found("wifi") == [cases["wifi"].pk]


@pytest.fixture
def common_words(monkeypatch, cases, cast):
    """As if a word held by three cases were held by most of a million: common."""
    from relaydesk.problems.search import analysis, postgres, sqlite

    for engine in (sqlite, postgres):
        monkeypatch.setattr(engine, "DF_CAP", 3)
    monkeypatch.setattr(analysis, "_common", set())  # this test's counts, kept apart
    make = factories.make_case
    return [
        make(category=cast.billing, acting=cast.fran, subject=subject)
        for subject in ("Train late again", "Train seat broken", "Train late, wifi down")
    ]


def test_a_common_word_still_has_to_match(cases, common_words):
    assert set(found("train wifi")) == {cases["wifi"].pk, common_words[2].pk}
    assert set(found("train late")) == {common_words[0].pk, common_words[2].pk}


@pytest.mark.sqlite  # PostgreSQL ranks them as ever
def test_when_every_word_is_common_the_newest_cases_come_first(cases, common_words):
    """On SQLite, bm25 would count every case holding a common word (most of a million):
    the matches come newest first instead."""
    newest_first = sorted([cases["wifi"].pk, *(c.pk for c in common_words)], reverse=True)
    assert found("train") == newest_first
