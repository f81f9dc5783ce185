"""What only one engine's index does: each runs in its own database's run of the suite."""

import pytest
from django.db import connection

from relaydesk.problems.search import engine, find_cases, postgres, sqlite
from tests import factories


@pytest.fixture
def cases(cast):
    make = factories.make_case
    return {
        "train": make(category=cast.billing, acting=cast.fran, subject="Refund for a late train"),
        "parcel": make(category=cast.billing, acting=cast.fran, subject="Refund for a lost parcel"),
    }


@pytest.mark.pg
def test_postgresql_reads_what_staff_type_as_a_web_search(cases):
    assert engine() is postgres
    assert [hit.case_id for hit in find_cases("refund -train")] == [cases["parcel"].pk]
    assert [hit.case_id for hit in find_cases('"late train"')] == [cases["train"].pk]


@pytest.mark.pg
def test_postgresql_keeps_every_lexeme_for_typos_in_a_trigram_index(cases):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
    assert ("parcel", 1) in postgres.vocabulary_near("parcl")


@pytest.mark.sqlite
def test_sqlite_stems_as_the_fts5_porter_tokenizer_does(cases):
    assert engine() is sqlite
    assert sqlite.stems(["refunds", "trains", "the"]) == {
        "refunds": "refund",
        "trains": "train",
        "the": "the",
    }
    assert sqlite.doc_freq(["refund", "train"]) == {"refund": 2, "train": 1}


@pytest.mark.sqlite
def test_sqlite_corrects_typos_from_the_index_vocabulary(cases):
    assert ("parcel", 1) in sqlite.vocabulary_near("parcle")
    assert [hit.case_id for hit in find_cases("parcle")] == [cases["parcel"].pk]
