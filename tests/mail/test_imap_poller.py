"""The IMAP poller against a real dovecot on loopback."""

import imaplib
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import transaction

from relaydesk.cases.models import Case
from relaydesk.intake.mail import imap
from relaydesk.intake.mail.smtp import free_port
from relaydesk.intake.models import RawMessage
from tests.mail.conftest import mail

DOVECOT = Path("/usr/sbin/dovecot")
USER = "support@relaydesk.localhost"
PASSWORD = "imap-test-password"

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = nobody
default_internal_group = nogroup
default_login_user = nobody
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


class Dovecot:
    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(USER, PASSWORD)
        client.select("INBOX")
        return client

    def append(self, message: bytes) -> None:
        client = self.client()
        client.append("INBOX", None, None, message)
        client.logout()

    def unseen(self) -> int:
        client = self.client()
        _, data = client.search(None, "UNSEEN")
        client.logout()
        return len(data[0].split())

    def total(self) -> int:
        client = self.client()
        _, data = client.search(None, "ALL")
        client.logout()
        return len(data[0].split())

    def mailbox(self):
        return imap.connect(
            host="127.0.0.1", port=self.port, user=USER, password=PASSWORD, ssl=False
        )


@pytest.fixture
def dovecot():
    if not DOVECOT.exists():
        pytest.skip("install dovecot-imapd")
    # Not under pytest's tmp dir: dovecot runs as nobody, who cannot enter root's 0700 dirs.
    root = Path(tempfile.mkdtemp(prefix="relaydesk-dovecot-"))
    port = free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port))
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    shutil.chown(root, "nobody", "nogroup")
    for path in root.iterdir():
        shutil.chown(path, "nobody", "nogroup")
    root.chmod(0o755)
    subprocess.run(
        ["runuser", "-u", "nobody", "--", str(DOVECOT), "-c", str(root / "dovecot.conf")],
        check=True,
    )
    server = Dovecot(root, port)
    for _ in range(100):
        try:
            server.client().logout()
            break
        except OSError:
            time.sleep(0.05)  # a server starting up, not a clock being waited on
    yield server
    pid = int((root / "run" / "master.pid").read_text())
    subprocess.run(["kill", "-TERM", str(pid)], check=False)
    shutil.rmtree(root, ignore_errors=True)


def test_the_poller_stores_each_message_and_only_then_flags_it(dovecot, mail_cast, monkeypatch):
    dovecot.append(bytes(mail(subject="First problem")))
    dovecot.append(bytes(mail(sender="Bo <bo@example.com>", subject="Second problem")))
    marked = []
    real_mark_done = imap.mark_done

    def mark_done(mailbox, uid, done_folder):
        # At the moment the server is told, the raw message is stored and committed.
        assert not transaction.get_connection().in_atomic_block
        marked.append(RawMessage.objects.count())
        real_mark_done(mailbox, uid, done_folder)

    monkeypatch.setattr(imap, "mark_done", mark_done)

    with dovecot.mailbox() as mailbox:
        taken = imap.poll_once(mailbox, done_folder="")

    assert taken == 2
    assert marked == [1, 2]
    assert sorted(Case.objects.values_list("subject", flat=True)) == [
        "First problem",
        "Second problem",
    ]
    assert set(RawMessage.objects.values_list("source", flat=True)) == {"imap"}
    assert dovecot.unseen() == 0


def test_a_second_poll_takes_nothing_again(dovecot, mail_cast):
    dovecot.append(bytes(mail()))
    with dovecot.mailbox() as mailbox:
        imap.poll_once(mailbox, done_folder="")
        assert imap.poll_once(mailbox, done_folder="") == 0
    assert RawMessage.objects.count() == 1


def test_the_poller_can_move_done_mail_to_a_folder(dovecot, mail_cast):
    client = dovecot.client()
    client.create("Relaydesk")
    client.logout()
    dovecot.append(bytes(mail()))

    with dovecot.mailbox() as mailbox:
        imap.poll_once(mailbox, done_folder="Relaydesk")

    assert dovecot.total() == 0
    assert Case.objects.count() == 1


def test_a_poller_killed_between_fetch_and_store_leaves_the_message_for_the_next_poll(dovecot, app):
    dovecot.append(bytes(mail()))
    server = ("127.0.0.1", str(dovecot.port), USER, PASSWORD)

    crashed = app.run("poll", *server, "--crash-after-fetch", check=False)

    assert crashed.returncode == -signal.SIGKILL
    assert dovecot.unseen() == 1
    assert app.counts()["raw"] == 0

    app.run("poll", *server)
    app.run("poll", *server)

    assert dovecot.unseen() == 0
    assert app.counts() == {"raw": 1, "received": 0, "cases": 1, "wrote": 1}


def test_a_poller_killed_between_store_and_flag_stores_the_message_only_once(
    dovecot, mail_cast, monkeypatch
):
    dovecot.append(bytes(mail()))

    def crash(*args):
        raise KeyboardInterrupt  # the process dies before it can tell the server

    monkeypatch.setattr(imap, "mark_done", crash)
    with pytest.raises(KeyboardInterrupt), dovecot.mailbox() as mailbox:
        imap.poll_once(mailbox, done_folder="")
    assert dovecot.unseen() == 1
    monkeypatch.undo()

    with dovecot.mailbox() as mailbox:
        imap.poll_once(mailbox, done_folder="")

    assert dovecot.unseen() == 0
    assert RawMessage.objects.count() == 1
    assert Case.objects.count() == 1
    key = RawMessage.objects.get().delivery_key
    assert key.startswith("imap:") and ";UIDVALIDITY=" in key and key.endswith(";UID=1")


def test_the_same_message_in_the_mailbox_twice_is_two_deliveries_and_one_case(dovecot, mail_cast):
    message = bytes(mail())
    dovecot.append(message)
    dovecot.append(message)  # e.g. forwarded to support@ by two rules

    with dovecot.mailbox() as mailbox:
        assert imap.poll_once(mailbox, done_folder="") == 2

    first, again = RawMessage.objects.order_by("id")
    assert first.delivery_key != again.delivery_key
    assert (again.outcome, again.duplicate_of) == ("duplicate", first)
    assert Case.objects.count() == 1


def test_without_a_uidvalidity_a_refetched_message_is_stored_again_and_opens_nothing_new(
    dovecot, mail_cast, monkeypatch
):
    # A server that will not tell the folder's UIDVALIDITY (dovecot does; some do not): a UID
    # alone may be reused, so no delivery key; the redelivery rule keeps it to one case.
    monkeypatch.setattr(imap, "read_uidvalidity", lambda mailbox: None)
    dovecot.append(bytes(mail()))

    def crash(*args):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(imap, "mark_done", crash)
        with pytest.raises(KeyboardInterrupt), dovecot.mailbox() as mailbox:
            imap.poll_once(mailbox, done_folder="")
    with dovecot.mailbox() as mailbox:
        imap.poll_once(mailbox, done_folder="")

    first, again = RawMessage.objects.order_by("id")
    assert (first.delivery_key, again.delivery_key) == ("", "")
    assert (again.outcome, again.duplicate_of) == ("duplicate", first)
    assert Case.objects.count() == 1
    assert dovecot.unseen() == 0
