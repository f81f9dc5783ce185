"""The database a benchmark runs on, chosen by environment, and thrown away afterwards.

- RELAYDESK_DATABASE_URL=postgresql://user@host:port/anything → a fresh PostgreSQL database
  named `relaydesk_bench` (or $BENCH_DB_NAME) on that server (created, migrated, dropped
  at the end).
- otherwise → a SQLite file in a new temporary RELAYDESK_HOME (removed at the end).

Call `bench_database()` before importing any model: it configures and sets up Django.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

# BENCH_DB_NAME lets two benchmark runs share one PostgreSQL server side by side.
BENCH_DB_NAME = os.environ.get("BENCH_DB_NAME", "relaydesk_bench")


def _admin_execute(server_url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def _drop_pg(server_url: str, *, force: bool) -> None:
    """Drop the bench database. Without force, a run still using it is left alone (error)."""
    import psycopg

    sql = f"DROP DATABASE IF EXISTS {BENCH_DB_NAME}" + (" WITH (FORCE)" if force else "")
    try:
        _admin_execute(server_url, sql)
    except psycopg.errors.ObjectInUse:
        raise SystemExit(
            f"{BENCH_DB_NAME} is in use: another benchmark run is going on; wait for it."
        ) from None


@contextmanager
def bench_database(*, quiet: bool = False) -> Iterator[str]:
    """Yield the engine label ("sqlite" or "postgresql") with Django set up and migrated."""
    server_url = os.environ.get("RELAYDESK_DATABASE_URL", "")
    temp_home = tempfile.mkdtemp(prefix="relaydesk-bench-")
    os.environ["RELAYDESK_HOME"] = temp_home
    os.environ.setdefault("RELAYDESK_SECRET_KEY", "bench-secret-key-not-for-production")
    os.environ["RELAYDESK_DEBUG"] = "false"  # DEBUG keeps every query in memory
    os.environ["RELAYDESK_ALLOWED_HOSTS"] = "testserver"  # Django's test Client (bench.lists)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relaydesk.settings")
    if server_url:
        _drop_pg(server_url, force=False)  # a leftover of a killed run, never a live one
        _admin_execute(server_url, f"CREATE DATABASE {BENCH_DB_NAME}")
        os.environ["RELAYDESK_DATABASE_URL"] = urlunsplit(
            urlsplit(server_url)._replace(path=f"/{BENCH_DB_NAME}")
        )
        label = "postgresql"
    else:
        label = "sqlite"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        if not quiet:
            print(f"[bench] migrating a fresh {label} database …", flush=True)
        call_command("migrate", verbosity=0)
        yield label
    finally:
        from django.db import connections

        connections.close_all()
        if server_url:
            os.environ["RELAYDESK_DATABASE_URL"] = server_url
            _drop_pg(server_url, force=True)  # our own, with any connection a thread left
        shutil.rmtree(temp_home, ignore_errors=True)


def analyze() -> None:
    """Fresh planner statistics after a bulk load (both engines need them to pick indexes)."""
    from django.db import connection

    with connection.cursor() as cursor:
        # On PostgreSQL also VACUUM, as autovacuum would have done on a database that grew
        # over months: it sets the visibility map, so index-only scans really stay in the index.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def flush_sqlite() -> None:
    """Copy the WAL into the database file and put both on disk, as a product running for a
    while has them. A bulk load (synchronous=OFF, one transaction) leaves a gigabyte of WAL and
    dirty pages: left alone, the first checkpoint and fsync after it would land in whatever is
    timed next."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # Closing any descriptor of a file drops every POSIX lock this process holds on it, SQLite's
    # included: the connection is closed first, so no open connection loses its locks unseen.
    connection.close()
    for name in (connection.settings_dict["NAME"], f"{connection.settings_dict['NAME']}-wal"):
        if not os.path.exists(name):  # the last connection to close removes the -wal file
            continue
        descriptor = os.open(name, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def flush_postgresql() -> None:
    """Write the bulk load's dirty buffers out now (CHECKPOINT), as a server running for a
    while has them: left to PostgreSQL's own checkpoint, minutes of writes land in whatever is
    timed next. Needs a superuser or the pg_checkpoint role; without it, says so and goes on."""
    import psycopg
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError as error:  # Django's wrapper; the driver's error is its cause
        if not isinstance(error.__cause__, psycopg.errors.InsufficientPrivilege):
            raise
        print("[bench] no CHECKPOINT after the load (needs pg_checkpoint); figures may be noisier")
