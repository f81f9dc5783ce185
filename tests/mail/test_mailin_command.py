"""`relaydesk mailin` as operators run it: a process that speaks SMTP and stops on SIGTERM."""

import signal
import smtplib
import sqlite3
import subprocess
import sys
import time

from relaydesk.intake.mail.smtp import free_port
from tests.mail.conftest import PROJECT, mail


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    for _ in range(300):
        assert process.poll() is None, process.stderr.read()
        try:
            smtplib.SMTP("127.0.0.1", port, timeout=1).quit()
            return
        except OSError:
            time.sleep(0.05)  # a process starting up, not a clock being waited on
    raise AssertionError("mailin did not start")


def test_relaydesk_mailin_turns_an_smtp_conversation_into_a_case(app):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "relaydesk.cli",
            "mailin",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=PROJECT,
        env=app.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(port, process)
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.send_message(mail(), to_addrs=["support@relaydesk.localhost"])
            code, _ = client.noop()
            assert code == 250
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)

    assert process.returncode == 0
    assert "Relaydesk mailin stopped." in out
    with sqlite3.connect(app.home / "relaydesk.sqlite3") as db:
        subjects = db.execute("SELECT subject FROM cases_case").fetchall()
        states = db.execute("SELECT state, source FROM intake_rawmessage").fetchall()
    assert subjects == [("Charged twice for my season ticket",)]
    assert states == [("processed", "smtp")]
