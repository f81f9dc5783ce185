"""An email backend that writes each message to its own .eml file (the embedded default).

Django's file backend appends every message of a connection to one log file; operators and
tests want one file per message they can open in a mail program. The file is named after the
Message-ID and written through a temporary file and a rename, so a message sent again after a
crash replaces its own file instead of appearing twice.
"""

import hashlib
import os
import re
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


def file_name_for(message_id: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", message_id.strip("<>"))[:80]
    digest = hashlib.sha256(message_id.encode()).hexdigest()[:12]
    return f"{readable}-{digest}.eml"


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *args, file_path: str | os.PathLike | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or getattr(settings, "EMAIL_FILE_PATH", None) or "outbox")

    def send_messages(self, email_messages) -> int:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            mime = message.message()
            message_id = mime["Message-ID"] or ""
            target = self.directory / file_name_for(message_id)
            temporary = target.with_suffix(f".tmp-{os.getpid()}")
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
            with os.fdopen(os.open(temporary, flags, 0o600), "wb") as file:  # mail: ours only
                file.write(mime.as_bytes(linesep="\r\n"))
            os.replace(temporary, target)
            sent += 1
        return sent
