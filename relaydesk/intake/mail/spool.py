"""Spool files: a big attachment decoded to disk while its message is processed.

A spool file lives only while one process handles one message: then it is moved into the
attachments (kept) or deleted (refused, quarantined). A process killed in between would leave
it behind, with a customer's file in it. So the process using a spool file holds an exclusive
advisory lock (flock) on it for as long as the file exists, and the lock dies with the
process: `clean_left_behind()`, run when `relaydesk serve`, `worker` and `mailin` start,
deletes every spool file nobody holds, and is safe while other processes on this machine
spool their own. A file is locked before it is given its `spool-` name, so the cleaner never
meets a new file that is not yet locked. Spool files are 0600 in a 0700 folder (mkstemp).
"""

import fcntl
import os
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

PREFIX = "spool-"
NEW = ".new-"  # mkstemp's name until the lock is taken
NEW_GRACE_SECONDS = 60  # an unnamed file this young may be between mkstemp and its lock


def spool_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "attachments" / "spool"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def create() -> tuple[Path, int, BinaryIO]:
    """A new spool file: (path, a descriptor to write it, the lock). Close the lock once the
    file is moved or deleted (Parsed.discard_spooled); the descriptor may be closed earlier."""
    folder = spool_dir()
    handle, temporary = tempfile.mkstemp(prefix=NEW, dir=folder)
    lock = os.fdopen(os.dup(handle), "rb")  # the same open file: closing `handle` keeps it
    fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
    path = folder / (PREFIX + Path(temporary).name[len(NEW) :])
    os.rename(temporary, path)
    return path, handle, lock


def _unused(path: Path) -> bool:
    try:
        handle = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # a live process holds it
    finally:
        os.close(handle)
    return True


def clean_left_behind() -> int:
    """Delete the spool files no live process holds (left by a crash). Returns how many."""
    removed = 0
    for path in spool_dir().iterdir():
        if path.name.startswith(NEW):
            try:
                if time.time() - path.stat().st_mtime < NEW_GRACE_SECONDS:
                    continue
            except FileNotFoundError:
                continue
        elif not path.name.startswith(PREFIX):
            continue
        if _unused(path):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
