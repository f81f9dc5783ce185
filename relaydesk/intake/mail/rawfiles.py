"""Big raw messages kept as files (RELAYDESK_HOME/mail/raw), not database blobs.

A database driver copies a blob at least twice on its way in; for a message with a 20 MB
attachment that alone is more memory than the attachment. Above MAIL_RAW_FILE_BYTES the raw
message is written to a file, flushed to disk, and only then is its row committed, so
"stored raw and committed" holds just the same. The file is named by its content's hash, so a
redelivery writes the same file; only Relaydesk's user may read it (0600, in a 0700 folder).
With several mailin machines, give them a shared RELAYDESK_HOME/mail/raw or raise
RELAYDESK_MAIL_RAW_FILE_BYTES.
"""

import hashlib
import os
from pathlib import Path

from django.conf import settings


def raw_dir() -> Path:
    folder = Path(settings.HOME) / "mail" / "raw"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def write(data: bytes) -> str:
    name = f"{hashlib.sha256(data).hexdigest()}.eml"
    folder = raw_dir()
    path = folder / name
    if path.exists():
        return name
    partial = folder / f".{name}.partial"
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    partial.replace(path)
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)
    return name


def read(name: str) -> bytes:
    if "/" in name or name.startswith("."):
        raise ValueError(f"not a raw message file name: {name!r}")
    return (raw_dir() / name).read_bytes()
