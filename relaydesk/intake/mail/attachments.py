"""Attachments: kept under generated names (never the sender's), with a size limit.

The sender's file name is only a label, cleaned as a web upload's is (`safe_label`: no path,
no control or direction-changing characters such as U+202E, which make `invoice\u202egpj.pdf`
read as `invoicefdp.jpg`); the file on disk is `m<raw id>-<n>-<hash>` under
MEDIA_ROOT/attachments, so a name like `../../settings.py` or `invoice.html` means nothing.
The name is derived from the message, so a retried processing writes the same file again.
"""

import hashlib
import os
from pathlib import Path

from django.conf import settings

from relaydesk.cases.models import Attachment
from relaydesk.cases.uploads import attachments_dir, safe_label
from relaydesk.intake.mail.parse import Part
from relaydesk.intake.mail.text import clean
from relaydesk.intake.models import RawMessage
from relaydesk.timekeeping import now

PRIVATE_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC


def path_of(attachment: Attachment) -> Path:
    return attachments_dir() / attachment.stored_name


def store(raw: RawMessage, parts: list[Part], case=None) -> tuple[list[Attachment], list[str]]:
    """Keep each part within the size limit; return the kept ones and a line per refused one."""
    kept, refused = [], []
    limit = settings.MAIL_MAX_ATTACHMENT_BYTES
    for index, part in enumerate(parts, start=1):
        name = safe_label(clean(part.name) or "attachment")
        if part.size > limit:
            refused.append(
                f"{name} ({part.size // 1024} KB) was not kept: attachments are limited to "
                f"{limit // (1024 * 1024)} MB."
            )
            if part.spooled is not None:
                part.spooled.unlink(missing_ok=True)
            continue
        digest = part.sha256 or hashlib.sha256(part.payload).hexdigest()
        stored_name = f"m{raw.pk}-{index}-{digest[:16]}"
        attachment = Attachment.objects.filter(stored_name=stored_name).first()
        if attachment is None:
            target = attachments_dir() / stored_name
            if part.spooled is not None:
                part.spooled.replace(target)  # decoded to disk already: moved, not copied
            else:
                with os.fdopen(os.open(target, PRIVATE_NEW_FILE, 0o600), "wb") as file:
                    file.write(part.payload)  # the customer's file: Relaydesk's user only
            attachment = Attachment.objects.create(
                raw_message=raw,
                case=case,
                original_name=name[:255],
                content_type=part.content_type[:255],
                size=part.size,
                stored_name=stored_name,
                sha256=digest,
                created_at=now(),
            )
        elif part.spooled is not None:
            part.spooled.unlink(missing_ok=True)
        kept.append(attachment)
    return kept, refused


def summary(attachments: list[Attachment]) -> list[dict]:
    return [{"id": a.pk, "name": a.original_name, "size": a.size} for a in attachments]
