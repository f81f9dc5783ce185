"""The worker's orchestration: one round of steps, `worker --once`, and how long it may sleep."""

import io
import signal
import sqlite3
import subprocess
import time
from datetime import timedelta

import pytest
from django.core.management import call_command

from relaydesk.cases import actions
from relaydesk.cases.models import EventKind, Notification
from relaydesk.clock import sweep
from relaydesk.clock.worker import STEPS, run_once
from relaydesk.outbox import sending
from relaydesk.outbox.models import OutgoingMail
from tests import factories
from tests.clock.helpers import MONDAY_9, events, hours, put_on_rota
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


def test_the_next_digest_wakes_the_worker_when_its_window_closes(cast, monday, settings):
    settings.DIGEST_MINUTES = 5
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    actions.pass_case(
        case, acting=cast.fran, to_user=cast.sam, reason="needs_expertise", note="Over to you"
    )
    OutgoingMail.objects.update(status=OutgoingMail.Status.SENT)
    assert sweep.next_due_at() == MONDAY_9 + timedelta(minutes=5)


def test_the_digest_step_runs_between_the_clock_and_the_outbox(db):
    names = [name for name, _ in STEPS][:5]
    assert names == ["escalation", "tickle", "digest", "closing", "outbox"]


def test_one_round_escalates_tickles_and_sends(cast, monday, mailoutbox, settings):
    settings.DIGEST_MINUTES = 5
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.shift(hours(20))
    assert run_once() is True
    assert events(case, EventKind.ESCALATED)
    # Escalation runs first: the case is ed's now, with a fresh tickle clock, so fran's
    # overdue reminder no longer applies.
    assert not events(case, EventKind.TICKLED)
    assert Notification.objects.filter(user=cast.ed, mail_pending=True).exists()
    monday.shift(timedelta(minutes=5))
    while run_once():
        pass
    assert not OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).exists()
    assert any(m.to == ["ed@acme.example"] for m in mailoutbox)
    assert run_once() is False


def test_worker_once_does_all_due_work_and_says_what(
    cast, monday, mailoutbox, settings, monkeypatch
):
    settings.DIGEST_MINUTES = 0
    # --batch-size sets these module globals: put them back after the test.
    monkeypatch.setattr(sweep, "BATCH_SIZE", None)
    monkeypatch.setattr(sending, "BATCH_SIZE", sending.BATCH_SIZE)
    put_on_rota(cast.ed, MONDAY_9.date(), MONDAY_9.date() + timedelta(days=2))
    cases = [factories.make_case(category=cast.billing, acting=cast.fran) for _ in range(5)]
    monday.shift(hours(20))
    out = io.StringIO()
    call_command("worker", once=True, batch_size=2, stdout=out)
    for case in cases:
        assert events(case, EventKind.ESCALATED)
    assert "escalation 3" in out.getvalue()  # 5 cases in batches of 2
    assert not Notification.objects.filter(mail_pending=True).exists()
    assert not OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).exists()
    [digest] = [m for m in mailoutbox if m.to == ["ed@acme.example"]]
    assert digest.subject.startswith("5 updates for you")
    sent = len(mailoutbox)
    again = io.StringIO()
    call_command("worker", once=True, stdout=again)
    assert "escalation 0, tickle 0, digest 0, closing 0, outbox 0" in again.getvalue()
    assert len(mailoutbox) == sent


SETUP_DUE_CASE = """
from datetime import timedelta
from django.contrib.auth.models import User
from relaydesk.org.models import Category, ExecutiveRota
from relaydesk.timekeeping import now, pinned
from tests import factories

factories.make_company()
tiers = factories.make_tiers()
quick = factories.make_category("quick", "Quick", solve_window_minutes=1)
fran = factories.make_staff("fran", tiers["frontline"])
ed = factories.make_staff("ed", tiers["executive"])
today = now().date()
ExecutiveRota.objects.create(
    staff=ed, starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1)
)
with pinned(now() - timedelta(minutes=10)):
    factories.make_case(category=quick, acting=fran.user, details={})
"""


def test_relaydesk_worker_once_as_a_command_escalates_mails_and_exits_0(tmp_path):
    env = product_env(tmp_path) | {"RELAYDESK_DIGEST_MINUTES": "0"}
    subprocess.run(relaydesk("manage", "migrate", "-v0"), env=env, check=True, cwd=REPO)
    subprocess.run(
        relaydesk("manage", "shell", "-c", SETUP_DUE_CASE), env=env, check=True, cwd=REPO
    )
    done = subprocess.run(
        relaydesk("worker", "--once"), env=env, cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Done everything due" in done.stdout
    assert "escalation 1" in done.stdout
    database = sqlite3.connect(tmp_path / "relaydesk.sqlite3")
    try:
        kinds = [row[0] for row in database.execute("SELECT kind FROM cases_event")]
        statuses = [row[0] for row in database.execute("SELECT status FROM outbox_outgoingmail")]
    finally:
        database.close()
    assert kinds.count("escalated") == 1
    assert statuses and set(statuses) == {"sent"}  # the acknowledgement and ed's digest
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == len(statuses)


def test_relaydesk_worker_stops_cleanly_on_sigterm(tmp_path):
    """The idle worker sleeps on an Event that SIGTERM sets: it stops, says so, and exits 0.

    The waits below are only give-up limits for a stuck process, not what is asserted.
    """
    env = product_env(tmp_path)
    subprocess.run(relaydesk("manage", "migrate", "-v0"), env=env, check=True, cwd=REPO)
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(relaydesk("worker"), env=env, cwd=REPO, stderr=log.open("wb"))
    give_up = time.monotonic() + 120
    while "worker started" not in log.read_text() and time.monotonic() < give_up:
        time.sleep(0.1)
    assert "worker started" in log.read_text()  # the signal handlers are in place by now
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=120) == 0
    assert "worker stopped" in log.read_text()
