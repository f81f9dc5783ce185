"""Crash safety: a message stored raw survives the process dying before it is processed."""

import signal

from relaydesk.cases.models import Case
from relaydesk.intake.mail.process import process
from relaydesk.intake.mail.receive import store
from relaydesk.intake.models import RawMessage
from tests.mail.conftest import mail


def test_a_processor_killed_after_the_raw_store_processes_the_message_once_on_restart(
    app, tmp_path
):
    message = tmp_path / "message.eml"
    message.write_bytes(bytes(mail()))

    crashed = app.run("store-then-crash", str(message), check=False)

    assert crashed.returncode == -signal.SIGKILL
    assert app.counts() == {"raw": 1, "received": 1, "cases": 0, "wrote": 0}

    restarted = app.relaydesk("mailin", "--pending-only")

    assert "Processed 1 message(s) left from before." in restarted.stdout
    assert app.counts() == {"raw": 1, "received": 0, "cases": 1, "wrote": 1}

    app.run("store-then-crash", str(message), check=False)  # the same mail delivered again

    assert app.counts() == {"raw": 2, "received": 1, "cases": 1, "wrote": 1}

    app.relaydesk("mailin", "--pending-only")  # the second delivery: a duplicate, nothing new

    assert app.counts() == {"raw": 2, "received": 0, "cases": 1, "wrote": 1}
    app.relaydesk("mailin", "--pending-only")
    assert app.counts() == {"raw": 2, "received": 0, "cases": 1, "wrote": 1}


def test_a_second_attempt_on_a_message_already_processed_changes_nothing(mail_cast):
    raw, _ = store(bytes(mail()), source="test")
    stale = RawMessage.objects.get(pk=raw.pk)  # read while still `received`, as the sweep does

    first = process(raw.pk)
    second = process(raw.pk, raw=stale)  # e.g. the pending sweep, racing the SMTP thread

    assert first.outcome == "new_case"
    assert (second.outcome, second.reason) == ("new_case", "already processed")
    assert second.case == first.case
    assert Case.objects.count() == 1
    assert RawMessage.objects.get().attempts == 1
