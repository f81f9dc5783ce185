"""Exactly once on PostgreSQL with real worker processes, also when they are SIGKILLed.

These tests start `relaydesk worker` processes against the test database (so they need a
transactional test) and wait, polling the database, until the work is done (the waits are
give-up limits, never what is asserted). Digests go at every round here
(RELAYDESK_DIGEST_MINUTES=0): each bell line must be in exactly one digest, each mail sent once.
"""

import email
import signal
import time
from collections import Counter
from email import policy

import pytest
from django.db.models import Count

from relaydesk.cases.models import Case, Event, EventKind, Notification
from relaydesk.outbox.models import OutgoingMail
from relaydesk.outbox.queue import queue_mail
from tests.clock import processes
from tests.outbox.smtp_server import SmtpServer

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]


def assert_each_case_escalated_once(count: int, cast) -> None:
    assert processes.escalation_events() == count
    doubled = (
        Event.objects.filter(kind=EventKind.ESCALATED)
        .values("case")
        .annotate(times=Count("id"))
        .filter(times__gt=1)
    )
    assert list(doubled) == []
    assert Case.objects.filter(owner=cast.ed, escalated=True).count() == count
    # A bell line per case, each carried by exactly one digest mail, each digest sent.
    lines = Notification.objects.filter(user=cast.ed)
    assert lines.count() == count
    assert not lines.filter(mail__isnull=True).exists()
    digests = OutgoingMail.objects.filter(to="ed@acme.example")
    assert set(lines.values_list("mail", flat=True)) == set(digests.values_list("id", flat=True))
    assert digests.count() < count  # digests, not a mail per case
    assert digests.exclude(status=OutgoingMail.Status.SENT).count() == 0


def eml_message_ids(home) -> Counter:
    return Counter(
        email.message_from_bytes(path.read_bytes(), policy=policy.default)["Message-ID"]
        for path in (home / "outbox").glob("*.eml")
    )


def test_four_workers_escalate_ten_thousand_due_cases_exactly_once(cast, tmp_path):
    processes.seed_due_cases(cast, 10_000)
    env = processes.worker_env(tmp_path)
    logs = [tmp_path / f"worker-{n}.log" for n in range(4)]
    workers = [processes.start_worker(env, log=log) for log in logs]
    try:
        processes.wait_until(processes.all_done, timeout=300)
    finally:
        exit_codes = processes.stop_workers(workers)
    assert exit_codes == [0, 0, 0, 0]  # SIGTERM is a clean stop
    assert_each_case_escalated_once(10_000, cast)
    ids = eml_message_ids(tmp_path)
    assert set(ids) == set(OutgoingMail.objects.values_list("message_id", flat=True))
    assert max(ids.values()) == 1
    # Every worker took part: the claims really ran side by side.
    batches = [log.read_text().count("escalated ") for log in logs]
    assert all(batches), batches
    assert all("worker stopped" in log.read_text() for log in logs)


def test_workers_killed_mid_batch_lose_nothing_and_double_nothing(cast, tmp_path):
    processes.seed_due_cases(cast, 3_000)
    env = processes.worker_env(tmp_path, RELAYDESK_OUTBOX_LEASE_SECONDS="2")
    log = tmp_path / "worker.log"
    seen = 0
    for _kill in range(4):
        worker = processes.start_worker(env, batch_size=50, log=log)
        # Let it get going, then kill it without warning while it is in a batch.
        processes.wait_until(
            lambda seen=seen: processes.escalation_events() > seen + 100, timeout=60, every=0.02
        )
        time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=10) == -signal.SIGKILL
        seen = processes.escalation_events()
        # A batch commits whole or not at all: never a partial batch of 50.
        assert seen % 50 == 0, seen
    assert seen < 3_000, "the kills came too late to interrupt anything"
    workers = [processes.start_worker(env, log=log) for _ in range(2)]
    try:
        processes.wait_until(processes.all_done, timeout=300)
    finally:
        assert processes.stop_workers(workers) == [0, 0]
    assert_each_case_escalated_once(3_000, cast)
    ids = eml_message_ids(tmp_path)
    assert set(ids) == set(OutgoingMail.objects.values_list("message_id", flat=True))
    assert max(ids.values()) == 1


def test_workers_deliver_every_mail_once_through_an_smtp_server_that_fails_for_a_while(
    cast, tmp_path
):
    processes.seed_due_cases(cast, 500)
    for n in range(300):  # plus mail of the customer kind, so the server refuses plenty
        queue_mail(to=f"customer{n}@example.com", subject=f"About your case {n}", body="x")
    with SmtpServer() as server:
        server.recorder.failing = True
        env = processes.worker_env(
            tmp_path,
            RELAYDESK_SMTP_HOST="127.0.0.1",
            RELAYDESK_SMTP_PORT=str(server.port),
            RELAYDESK_SMTP_STARTTLS="false",
            RELAYDESK_OUTBOX_RETRY_SECONDS="1",
        )
        workers = [
            processes.start_worker(env, log=tmp_path / f"w{n}.log", batch_size=50) for n in range(3)
        ]
        try:
            processes.wait_until(lambda: server.recorder.refused >= 300, timeout=120)
            server.recorder.failing = False
            processes.wait_until(processes.all_done, timeout=180)
        finally:
            assert processes.stop_workers(workers) == [0, 0, 0]
        delivered = Counter(server.recorder.message_ids())
    assert_each_case_escalated_once(500, cast)
    assert set(delivered) == set(OutgoingMail.objects.values_list("message_id", flat=True))
    assert max(delivered.values()) == 1
    assert server.recorder.refused >= 300  # the failures were real, and retried
    assert OutgoingMail.objects.filter(attempts__gt=1).exists()
