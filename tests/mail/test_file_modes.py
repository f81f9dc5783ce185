"""The hostile tester's finding: files in RELAYDESK_HOME were world-readable.

Replayed with the real commands in their own processes, started under the usual umask 022:
the database (and its -wal/-shm), raw mail, attachments, the outbox and spool files are 0600
in 0700 folders. A spool file a crash left behind is deleted when a command starts; one a live
process holds is not.
"""

import os
import signal
import smtplib
import stat
import subprocess
import sys
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

from relaydesk.intake.mail import spool
from relaydesk.intake.mail.smtp import free_port
from tests.mail.conftest import PROJECT, SUPPORT, App

BIG = os.urandom(1536 * 1024)  # over the raw-file size and the spool size


def big_mail() -> bytes:
    message = EmailMessage()
    message["From"] = "Carla Mendes <carla@example.com>"
    message["To"] = SUPPORT
    message["Subject"] = "My passport scan"
    message["Message-ID"] = "<passport@example.com>"
    message.set_content("Here is the scan you asked for.")
    message.add_attachment(BIG, maintype="image", subtype="png", filename="passport.png")
    return message.as_bytes(policy=SMTP)  # CRLF line ends, as on the wire


def modes_under(home: Path) -> dict[str, str]:
    """Every path under `home` (itself included) → its permission bits, as 0o…"""
    found = {".": oct(stat.S_IMODE(home.stat().st_mode))}
    for path in home.rglob("*"):
        found[str(path.relative_to(home))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


class Mailin:
    """`relaydesk mailin` in its own process, under umask 022."""

    def __init__(self, app: App):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "relaydesk.cli", "mailin", "--no-imap", f"--port={self.port}"],
            cwd=PROJECT,
            env=app.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            umask=0o022,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # written once the server listens
        assert "SMTP on" in line, line

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


@pytest.fixture
def fresh(tmp_path) -> App:
    """A home that does not exist yet: the commands make it."""
    app = App(tmp_path / "fresh" / "relaydesk-home")
    subprocess.run(
        [sys.executable, "-m", "relaydesk.cli", "manage", "migrate", "--verbosity", "0"],
        cwd=PROJECT,
        env=app.env,
        check=True,
        timeout=300,
        umask=0o022,
    )
    app.run("seed")
    return app


def test_everything_relaydesk_writes_in_its_home_is_its_users_alone(fresh):
    mailin = Mailin(fresh)
    try:
        with smtplib.SMTP("127.0.0.1", mailin.port, timeout=60) as client:
            client.sendmail("carla@example.com", [SUPPORT], big_mail())
    finally:
        mailin.stop()
    subprocess.run(
        [sys.executable, "-m", "relaydesk.cli", "worker", "--once"],
        cwd=PROJECT,
        env=fresh.env,
        check=True,
        timeout=120,
        umask=0o022,
        capture_output=True,
    )
    assert fresh.counts()["cases"] == 1

    modes = modes_under(fresh.home)
    # What the hostile tester found readable, each there to be looked at:
    assert modes["relaydesk.sqlite3"] == "0o600"
    assert len([name for name in modes if name.startswith("mail/raw/")]) == 1
    assert len([name for name in modes if name.startswith("files/attachments/m")]) == 1
    assert len([name for name in modes if name.startswith("outbox/")]) == 1  # the acknowledgement
    assert "files/attachments/spool" in modes
    folders = {name for name in modes if (fresh.home / name).is_dir()}
    assert {name: mode for name, mode in modes.items() if name in folders} == dict.fromkeys(
        folders, "0o700"
    )
    files = {name: mode for name, mode in modes.items() if name not in folders}
    assert files == dict.fromkeys(files, "0o600")


def test_a_spool_file_left_by_a_crash_is_deleted_when_a_command_starts(app, tmp_path):
    message = tmp_path / "big.eml"
    message.write_bytes(big_mail())
    crashed = app.run("spool-then-crash", str(message), check=False)
    assert crashed.returncode == -signal.SIGKILL
    spool_dir = app.home / "files" / "attachments" / "spool"
    [left] = list(spool_dir.iterdir())
    assert left.name.startswith("spool-")
    assert left.stat().st_size == len(BIG)  # the customer's file, decoded

    app.relaydesk("mailin", "--pending-only")

    assert list(spool_dir.iterdir()) == []


def test_the_start_leaves_a_spool_file_a_live_process_holds(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    path, handle, lock = spool.create()
    os.close(handle)
    old = spool.spool_dir() / "spool-from-an-old-version"  # no lock: nobody uses it
    old.write_bytes(b"x")

    assert spool.clean_left_behind() == 1
    assert path.exists() and not old.exists()
    assert oct(stat.S_IMODE(path.stat().st_mode)) == "0o600"

    lock.close()  # the process is done with it (or died)
    assert spool.clean_left_behind() == 1
    assert not path.exists()
