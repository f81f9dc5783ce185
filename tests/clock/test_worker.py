"""The worker's orchestration: one round of steps, and how long it may sleep."""

import signal
import subprocess
import time
from datetime import timedelta

import pytest

from relaydesk.cases.models import EventKind
from relaydesk.clock import sweep
from relaydesk.clock.worker import run_once
from relaydesk.outbox.models import OutgoingMail
from tests import factories
from tests.clock.helpers import MONDAY_9, events, hours
from tests.clock.processes import REPO, product_env, relaydesk


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(MONDAY_9, tick=False)
    return time_machine


def test_with_nothing_at_all_the_worker_sleeps_the_longest_pause(db, monday):
    assert sweep.next_due_at() is None
    assert sweep.seconds_to_sleep() == 15


def test_the_worker_sleeps_until_the_next_deadline_or_tickle(cast, monday):
    quick = factories.make_category("quick", "Quick", solve_window_minutes=1)
    case = factories.make_case(category=quick, acting=cast.fran, details={})
    OutgoingMail.objects.update(status=OutgoingMail.Status.SENT)
    assert sweep.next_due_at() == case.deadline
    monday.shift(timedelta(seconds=50))
    assert sweep.seconds_to_sleep() == pytest.approx(10)


def test_the_next_queued_mail_wakes_the_worker_too(cast, monday):
    factories.make_case(category=cast.billing, acting=cast.fran)  # queues the acknowledgement
    assert sweep.next_due_at() == MONDAY_9
    assert sweep.seconds_to_sleep() == 0.5  # due now: only a short pause between rounds


def test_one_round_escalates_tickles_and_sends(cast, monday, mailoutbox):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.shift(hours(20))
    assert run_once() is True
    assert events(case, EventKind.ESCALATED)
    # Escalation runs first: the case is ed's now, with a fresh tickle clock, so fran's
    # overdue reminder no longer applies.
    assert not events(case, EventKind.TICKLED)
    assert not OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).exists()
    assert any(m.to == ["ed@acme.example"] for m in mailoutbox)
    while run_once():
        pass
    assert run_once() is False


def test_relaydesk_worker_stops_at_once_on_sigterm(tmp_path):
    """The idle worker sleeps on an Event: SIGTERM ends it cleanly, not after its 15 s nap."""
    env = product_env(tmp_path)
    subprocess.run(relaydesk("manage", "migrate", "-v0"), env=env, check=True, cwd=REPO)
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(relaydesk("worker"), env=env, cwd=REPO, stderr=log.open("wb"))
    started = time.monotonic()
    while "worker started" not in log.read_text() and time.monotonic() < started + 60:
        time.sleep(0.1)
    time.sleep(1)  # now in its idle wait
    asked = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=10) == 0
    assert time.monotonic() - asked < 5
    assert "worker stopped" in log.read_text()
