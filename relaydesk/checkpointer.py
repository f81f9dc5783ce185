"""Checkpointing SQLite's WAL in a background thread, off the request path.

In WAL mode a commit appends the pages it changed to the WAL; a checkpoint copies them into
the database file and syncs both files. SQLite's own checkpoint runs inside the commit that
takes the WAL past 1,000 pages: one case opened in forty waited about 20 ms for it, and a
third of the time spent opening cases went to these checkpoints (bench/open_case.py). Here
one thread per process and database does that work instead:

- every PASS_SECONDS it runs a PASSIVE checkpoint on a connection of its own, which copies
  what the commits wrote without stopping anyone (writers go on appending meanwhile);
- the WAL starts again from its beginning only when a writer begins while every page in it
  has been copied. Under a steady stream of writes that moment may never come, so once the
  WAL holds more than CATCH_UP_FRAMES pages the thread copies the rest while this process's
  writers wait their turn (group_commit.exclusive): a few milliseconds, then the next writer
  restarts the WAL. Writers of other processes (a separate `relaydesk worker`) do not wait;
  if one of them slips in, the next pass tries again;
- the connections keep SQLite's own checkpoint, raised to BACKSTOP_FRAMES, in case the
  thread falls behind or has died.

With synchronous=NORMAL a commit is durable once a checkpoint has synced the WAL: with the
thread that is within a fraction of a second, where it used to wait for the next 1,000 pages.
"""

import logging
import os
import sqlite3
import threading
from urllib.parse import quote

from relaydesk import group_commit

log = logging.getLogger("relaydesk.checkpointer")

PASS_SECONDS = 0.2
PAUSE_AFTER_ERROR = 5.0
CATCH_UP_FRAMES = 8_000  # 32 MB of 4 KiB pages: a second or two of writes at full speed
CATCH_UP_PASSES = 2
BACKSTOP_FRAMES = 32_000  # SQLite's own checkpoint, if the thread cannot keep up
WAL_SIZE_LIMIT = 64 * 1024 * 1024  # a WAL that starts again is cut back to this size

_threads: dict[str, threading.Thread] = {}
_threads_lock = threading.Lock()
_stopping = threading.Event()


def on_connection_created(sender, connection, **kwargs) -> None:
    """connection_created receiver: hand a SQLite file database's checkpoints to the thread."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    driver = connection.connection
    if driver.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        return
    driver.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_FRAMES}")
    driver.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
    start(os.path.abspath(connection.settings_dict["NAME"]), using=connection.alias)


def start(path: str, *, using: str) -> None:
    """Start this process's checkpointer for the database file at `path`, once."""
    with _threads_lock:
        if path in _threads and _threads[path].is_alive():
            return
        thread = threading.Thread(
            target=_run, args=(path, using), name=f"checkpointer {path}", daemon=True
        )
        _threads[path] = thread
        thread.start()


def stop_all() -> None:
    """Stop this process's checkpointers (before its database files are removed)."""
    _stopping.set()
    with _threads_lock:
        threads = list(_threads.values())
        _threads.clear()
    for thread in threads:
        thread.join(10)
    _stopping.clear()


def _run(path: str, using: str) -> None:
    while not _stopping.wait(PASS_SECONDS):
        try:
            checkpoint(path, using=using)
        except Exception:
            if not os.path.exists(path):  # removed during the pass: nothing left to copy
                continue
            log.exception("checkpointing %s failed; trying again shortly", path)
            _stopping.wait(PAUSE_AFTER_ERROR)


def checkpoint(path: str, *, using: str, catch_up_frames: int = CATCH_UP_FRAMES) -> tuple[int, int]:
    """One pass: copy the WAL's pages into the database file. Returns (pages in the WAL,
    pages copied); (0, 0) when the file is gone (a test database dropped, say).

    A connection per pass: it never holds on to a file that was replaced, it creates none
    (mode=rw) and a process keeps no handle open at exit for this thread.
    """
    if not os.path.exists(path):
        return 0, 0
    try:
        driver = sqlite3.connect(f"file:{quote(path)}?mode=rw", uri=True, isolation_level=None)
    except sqlite3.OperationalError:  # removed between the check and the connect
        return 0, 0

    def passive() -> tuple[int, int]:
        _, frames, copied = driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return frames, copied

    try:
        frames, copied = passive()
        if frames > catch_up_frames:
            # Catch up without stopping anyone first (each pass copies what was written
            # during the one before), so the writers wait only for the last few pages.
            for _ in range(CATCH_UP_PASSES):
                passive()
            frames, copied = group_commit.exclusive(passive, using=using)
        return frames, copied
    finally:
        driver.close()
