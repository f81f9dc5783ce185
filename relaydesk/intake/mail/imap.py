"""The IMAP poller: a mailbox such as support@ feeds the same receive() as the SMTP server.

Order matters: fetch with BODY.PEEK (the message stays unseen), store raw and commit, and
only then flag it \\Seen (or move it to RELAYDESK_IMAP_DONE_FOLDER). A poller killed between
fetch and store leaves the message untouched on the server, and the next poll takes it; a
poller killed between store and flag fetches it again, and the delivery key (the mailbox, its
UIDVALIDITY and the message's UID, which together name one message on an IMAP server for
good) finds the row already stored: the message is taken once.
"""

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from imap_tools import AND, MailBox, MailBoxUnencrypted, MailMessage, MailMessageFlags
from imap_tools.errors import MailboxFetchError

from relaydesk.intake.mail.receive import ready_connection, receive

log = logging.getLogger("relaydesk.mail")


def connect(
    *,
    host: str | None = None,
    port: int | None = None,
    user: str | None = None,
    password: str | None = None,
    folder: str | None = None,
    ssl: bool | None = None,
):
    host = host or settings.IMAP_HOST
    port = port or settings.IMAP_PORT
    use_ssl = settings.IMAP_SSL if ssl is None else ssl
    box_class = MailBox if use_ssl else MailBoxUnencrypted
    mailbox = box_class(host, port)
    return mailbox.login(
        user or settings.IMAP_USER,
        password or settings.IMAP_PASSWORD,
        initial_folder=folder or settings.IMAP_FOLDER,
    )


def fetch_raw(mailbox, uid: str) -> bytes:
    """The message exactly as the server holds it, without setting \\Seen."""
    status, data = mailbox.client.uid("fetch", uid, "(BODY.PEEK[])")
    if status != "OK" or not data or data[0] is None:
        # imap_tools' error takes the command's result and the status expected (given a single
        # message, it failed to build and a TypeError went up instead).
        raise MailboxFetchError((status, data), "OK")
    raw, _, _ = MailMessage._get_message_data_parts(data)  # noqa: SLF001 - bytes as sent
    return raw


def mark_done(mailbox, uid: str, done_folder: str) -> None:
    if done_folder:
        mailbox.move(uid, done_folder)
    else:
        mailbox.flag(uid, MailMessageFlags.SEEN, True)


def read_uidvalidity(mailbox) -> int | None:
    try:
        return int(mailbox.folder.status(options=["UIDVALIDITY"])["UIDVALIDITY"])
    except Exception:  # noqa: BLE001 - a server that will not say: no delivery keys, see below
        log.warning("the IMAP server did not give the folder's UIDVALIDITY")
        return None


def delivery_key(mailbox, uidvalidity: int | None, uid: str, *, account: str = "") -> str:
    """One message of one IMAP mailbox, for good: RFC 3501 promises that a UID is never
    reused while the mailbox's UIDVALIDITY stays the same. Without a UIDVALIDITY there is no
    key (a UID alone may be reused, and a key taken for a stored one would skip a new
    message); a message fetched twice is then stored twice and processed as a duplicate."""
    if uidvalidity is None:
        return ""
    client = mailbox.client
    where = f"{account or settings.IMAP_USER}@{client.host}:{client.port}/{mailbox.folder.get()}"
    if len(where) > 180:
        where = hashlib.sha256(where.encode()).hexdigest()
    return f"imap:{where};UIDVALIDITY={uidvalidity};UID={uid}"


def poll_once(
    mailbox=None,
    *,
    done_folder: str | None = None,
    after_fetch: Callable[[str, bytes], None] | None = None,
    account: str = "",
) -> int:
    """Take every unseen message once. Returns how many were taken (stored now or before)."""
    done_folder = settings.IMAP_DONE_FOLDER if done_folder is None else done_folder
    own = mailbox is None
    mailbox = mailbox or connect()
    taken = 0
    try:
        uidvalidity = read_uidvalidity(mailbox)
        for uid in mailbox.uids(AND(seen=False)):
            raw = fetch_raw(mailbox, uid)
            if after_fetch is not None:
                after_fetch(uid, raw)  # tests crash the poller here
            ready_connection()
            received = receive(
                raw,
                source="imap",
                envelope_to=recipients(),
                delivery_key=delivery_key(mailbox, uidvalidity, uid, account=account),
            )
            # The raw message is committed: only now may the server forget about it.
            mark_done(mailbox, uid, done_folder)
            taken += 1
            log.info("imap message %s stored as %s", uid, received.raw_id)
    finally:
        if own:
            mailbox.logout()
    return taken


def recipients() -> list[str]:
    user = settings.IMAP_USER
    return [user.lower()] if "@" in user else []
