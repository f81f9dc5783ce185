"""Files uploaded with an intake form: staff intake, the case page's details, /contact.

They are kept exactly like mail attachments (relaydesk.intake.mail.attachments): in
MEDIA_ROOT/attachments under a generated name (`u<random hex>`), never the uploader's name, which
is only a label; within the same size limit (RELAYDESK_MAIL_MAX_ATTACHMENT_BYTES); served only
as downloads (`download`): to staff by relaydesk.web.views.quarantine.attachment_download, and
to the customer's status session by relaydesk.portal.status_files.

The file field's value in the case's details records the upload as
{"attachment": <id>, "name": <original name>} (see relaydesk.cases.details.StoredFile), so a
required file field counts as present (domain rule 2).

Files are written inside the caller's transaction. The caller wraps that transaction in an
`UploadBatch`: when the transaction does not commit (an exception, or `set_rollback`), the
files it wrote are deleted again, so neither rows nor files are left behind. A process killed
between writing a file and the commit can still leave an unreferenced file on disk.
"""

import hashlib
import os
import secrets
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse

from relaydesk.cases.details import StoredFile
from relaydesk.cases.models import Attachment
from relaydesk.org.models import FieldType, IntakeField
from relaydesk.timekeeping import now

CHUNK = 1024 * 1024


def attachments_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # customers' files: ours only
    return folder


def download(attachment: Attachment) -> FileResponse | None:
    """The file as a download that no browser renders or sniffs, or None when it is no longer
    kept. Who may have it is the caller's check."""
    path = attachments_dir() / attachment.stored_name
    if not path.exists():
        return None
    response = FileResponse(path.open("rb"), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition(attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Length"] = str(attachment.size)
    return response


def content_disposition(name: str) -> str:
    """Always a download; an ASCII fallback plus the real name encoded per RFC 6266/5987."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in name)
    return f"attachment; filename=\"{fallback or 'attachment'}\"; filename*=UTF-8''{quote(name)}"


def limit_words(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    if limit >= 1024:
        return f"{limit / 1024:g} KB"
    return f"{limit} bytes"


def safe_label(name: str) -> str:
    """The uploader's file name as a label only: no path, no control characters, bounded."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "upload"


def problem_with(upload: UploadedFile) -> str:
    """Why this file cannot be kept, in words for the person uploading it, or ""."""
    limit = settings.MAIL_MAX_ATTACHMENT_BYTES
    if upload.size is None or upload.size == 0:
        return "This file is empty; choose the file again."
    if upload.size > limit:
        return f"This file is too large: files are limited to {limit_words(limit)}."
    return ""


def posted_files(
    fields: list[IntakeField], files, prefix: str = "detail_"
) -> tuple[dict[str, UploadedFile], dict[str, str]]:
    """The files chosen for a category's file fields (by field key), and a field error for
    each one that cannot be kept. A file under any other name is ignored."""
    chosen: dict[str, UploadedFile] = {}
    errors: dict[str, str] = {}
    for field in fields:
        if field.type != FieldType.FILE:
            continue
        upload = files.get(f"{prefix}{field.key}")
        if upload is None:
            continue
        problem = problem_with(upload)
        if problem:
            errors[field.key] = problem
        else:
            chosen[field.key] = upload
    return chosen, errors


class UploadBatch:
    """Files written for one transaction; those whose rows did not commit are deleted on exit.

    with UploadBatch() as batch, transaction.atomic():
        stored = batch.save(request.FILES["detail_photo"])
        ...
    """

    def __init__(self):
        self.stored_names: list[str] = []

    def __enter__(self) -> "UploadBatch":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.stored_names:
            return
        if exc_type is not None:
            kept: set[str] = set()
        else:
            # The transaction may have been rolled back without an exception (set_rollback).
            kept = set(
                Attachment.objects.filter(stored_name__in=self.stored_names).values_list(
                    "stored_name", flat=True
                )
            )
        for name in self.stored_names:
            if name not in kept:
                (attachments_dir() / name).unlink(missing_ok=True)

    def save(self, upload: UploadedFile, *, case=None) -> StoredFile:
        """Write the file under a generated name and record it; checked by `problem_with` first."""
        stored_name = f"u{secrets.token_hex(16)}"
        target = attachments_dir() / stored_name
        self.stored_names.append(stored_name)
        digest = hashlib.sha256()
        size = 0
        # 0600 whatever the process's umask (gunicorn started directly keeps the login's).
        with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            for chunk in upload.chunks(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        attachment = Attachment.objects.create(
            case=case,
            original_name=safe_label(upload.name or ""),
            content_type=(upload.content_type or "application/octet-stream")[:255],
            size=size,
            stored_name=stored_name,
            sha256=digest.hexdigest(),
            created_at=now(),
        )
        return StoredFile(attachment.pk, attachment.original_name)


def link(stored: list[StoredFile], case) -> None:
    """Files uploaded before their case existed (intake) belong to it once it is opened."""
    if stored:
        Attachment.objects.filter(pk__in=[s.attachment_id for s in stored], case=None).update(
            case=case
        )
