"""The WAL checkpointer: SQLite's checkpoints run in a background thread, not in a commit.

Real SQLite files in WAL mode throughout: the test database (as the product opens it) and
small databases made here with the driver.
"""

import contextlib
import os
import shutil
import sqlite3
import threading

import pytest
from django.db import connection, connections

from relaydesk import checkpointer, group_commit
from relaydesk.cases.models import Customer
from relaydesk.timekeeping import now

pytestmark = pytest.mark.sqlite


def wal_database(path) -> sqlite3.Connection:
    """A database in WAL mode whose connection never checkpoints by itself."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    return db


def rows_of(path, count_sql: str) -> int:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(count_sql).fetchone()[0]


@pytest.mark.django_db
def test_the_products_connections_leave_checkpoints_to_the_thread():
    connection.ensure_connection()
    driver = connection.connection

    assert driver.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == (
        checkpointer.BACKSTOP_FRAMES
    )
    assert driver.execute("PRAGMA journal_size_limit").fetchone()[0] == (
        checkpointer.WAL_SIZE_LIMIT
    )
    path = os.path.abspath(connection.settings_dict["NAME"])
    assert checkpointer._threads[path].is_alive()


@pytest.mark.django_db
def test_the_products_connections_read_the_database_through_a_memory_map():
    connection.ensure_connection()

    mapped = connection.connection.execute("PRAGMA mmap_size").fetchone()[0]

    assert mapped == 1024 * 1024 * 1024  # RELAYDESK_SQLITE_MMAP_MB's default


def test_a_pass_copies_the_committed_pages_into_the_database_file(tmp_path):
    path = str(tmp_path / "desk.sqlite3")
    db = wal_database(path)
    with db:
        db.executemany("INSERT INTO note (body) VALUES (?)", [("x" * 1000,)] * 500)
    shutil.copy(path, tmp_path / "before.sqlite3")  # the database file alone, without its WAL

    frames, copied = checkpointer.checkpoint(path, using="default")

    assert frames == copied > 100
    shutil.copy(path, tmp_path / "after.sqlite3")
    db.close()
    tables = "SELECT count(*) FROM sqlite_master WHERE name = 'note'"
    assert rows_of(tmp_path / "before.sqlite3", tables) == 0
    assert rows_of(tmp_path / "after.sqlite3", "SELECT count(*) FROM note") == 500


def test_a_database_file_that_is_gone_is_left_alone_and_not_created(tmp_path):
    path = str(tmp_path / "dropped.sqlite3")

    assert checkpointer.checkpoint(path, using="default") == (0, 0)
    assert not (tmp_path / "dropped.sqlite3").exists()


@pytest.mark.django_db(transaction=True)
def test_under_a_steady_stream_of_writes_the_wal_still_starts_again():
    """A writer that never pauses never begins while the whole WAL is copied, so the WAL
    would grow for as long as the stream lasts; the catch-up pass makes the writers wait for
    the last pages once it is long, and the next writer starts the WAL afresh."""
    path = os.path.abspath(connection.settings_dict["NAME"])
    stop = threading.Event()
    written = []

    def write_without_pause():
        try:
            while not stop.is_set():
                name = f"stream {len(written)}"
                group_commit.grouped(
                    lambda name=name: Customer.objects.create(name=name, created_at=now())
                )
                written.append(name)
        finally:
            connections.close_all()

    writer = threading.Thread(target=write_without_pause, daemon=True)
    writer.start()
    lengths = []
    try:
        while len(lengths) < 40 or len(written) < 2000:
            assert len(lengths) < 4000, "the writer made no progress"
            frames, _ = checkpointer.checkpoint(path, using="default", catch_up_frames=500)
            lengths.append(frames)
    finally:
        stop.set()
        writer.join(20)

    restarts = sum(1 for before, after in zip(lengths, lengths[1:], strict=False) if after < before)
    # Without the catch-up: 2 or 3 restarts and 11,000 pages (this process's own thread
    # catching up at CATCH_UP_FRAMES); with it, 20 restarts and under 600 pages.
    assert restarts >= 10, lengths
    assert max(lengths[1:]) < 3000, lengths  # the first pass found what earlier tests wrote
    assert Customer.objects.filter(name__startswith="stream").count() == len(written)
