"""The embedded default: one .eml file per message in RELAYDESK_HOME/outbox."""

import email
from email import policy

from django.core.mail import EmailMessage

from relaydesk.outbox.backends import EmlFileBackend


def message(n: int, message_id: str) -> EmailMessage:
    return EmailMessage(
        subject=f"Case {n}",
        body="Hello",
        from_email="support@relaydesk.localhost",
        to=["ed@acme.example"],
        headers={"Message-ID": message_id},
    )


def test_each_message_gets_its_own_eml_file(tmp_path):
    backend = EmlFileBackend(file_path=tmp_path)
    assert backend.send_messages([message(1, "<a@x>"), message(2, "<b@x>")]) == 2
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    subjects = {
        email.message_from_bytes(f.read_bytes(), policy=policy.default)["Subject"] for f in files
    }
    assert subjects == {"Case 1", "Case 2"}


def test_sending_the_same_message_again_replaces_its_file(tmp_path):
    backend = EmlFileBackend(file_path=tmp_path)
    backend.send_messages([message(1, "<a@x>")])
    backend.send_messages([message(1, "<a@x>")])
    assert len(list(tmp_path.glob("*.eml"))) == 1
    assert list(tmp_path.glob("*.tmp-*")) == []
