"""The product's PostgreSQL connections: no JIT compiling (relaydesk.settings), and libpq's
PGOPTIONS and the URL's own options still applied after it."""

import pytest
from django.db import connection

from relaydesk.settings import _database_from_url

URL = "postgresql://relaydesk@db.example:5432/relaydesk"


@pytest.mark.pg
@pytest.mark.django_db
def test_the_connection_compiles_no_query_and_keeps_the_environments_options():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")  # tests/settings.py's PGOPTIONS
        synchronous_commit = cursor.fetchone()[0]

    assert (jit, synchronous_commit) == ("off", "off")


def test_pgoptions_and_the_urls_options_come_after_jit_off_so_they_win(monkeypatch):
    monkeypatch.setenv("PGOPTIONS", "-c work_mem=64MB")

    config = _database_from_url(URL + "?options=-c%20jit%3Don")

    assert config["OPTIONS"]["options"] == "-c jit=off -c work_mem=64MB -c jit=on"


def test_without_pgoptions_only_jit_is_turned_off(monkeypatch):
    monkeypatch.delenv("PGOPTIONS", raising=False)

    assert _database_from_url(URL)["OPTIONS"]["options"] == "-c jit=off"


def test_sqlite_urls_get_no_postgresql_options():
    assert "options" not in _database_from_url("sqlite:////tmp/relaydesk.sqlite3")["OPTIONS"]
