"""`relaydesk manage rebuild_search`, and the index's triggers surviving a remade table."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from relaydesk.problems.search import ensure_installed, find_cases, suspend_triggers
from tests import factories


def test_rebuild_search_refills_the_index_and_says_how_many(cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran, subject="Lost luggage")
    out = StringIO()
    call_command("rebuild_search", stdout=out)
    assert "case ids indexed" in out.getvalue()
    assert [hit.case_id for hit in find_cases("luggage")] == [case.pk]


@pytest.mark.sqlite
def test_triggers_dropped_by_a_remade_table_are_put_back(cast):
    """SQLite drops a table's triggers when a migration remakes the table; after migrating,
    ensure_installed puts them back and refills the index."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER problems_search_case_insert")
    missed = factories.make_case(category=cast.billing, acting=cast.fran, subject="Lost luggage")
    assert find_cases("luggage") == []
    assert ensure_installed(connection) is True
    assert [hit.case_id for hit in find_cases("luggage")] == [missed.pk]
    later = factories.make_case(category=cast.billing, acting=cast.fran, subject="Luggage gone")
    assert {hit.case_id for hit in find_cases("luggage")} == {missed.pk, later.pk}
    assert ensure_installed(connection) is False


def test_a_bulk_load_suspends_the_index_and_it_catches_up_after(cast):
    suspend_triggers(connection)
    loaded = factories.make_case(category=cast.billing, acting=cast.fran, subject="Lost luggage")
    assert find_cases("luggage") == []
    assert ensure_installed(connection) is True
    assert [hit.case_id for hit in find_cases("luggage")] == [loaded.pk]
    later = factories.make_case(category=cast.billing, acting=cast.fran, subject="Luggage gone")
    assert {hit.case_id for hit in find_cases("luggage")} == {loaded.pk, later.pk}
    assert ensure_installed(connection) is False
