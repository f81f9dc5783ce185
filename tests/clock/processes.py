"""Running `relaydesk worker` as real processes against the test database (PostgreSQL tests)."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.db import connection

from relaydesk.cases.models import Case, Customer, Event, EventKind, Notification, Status
from relaydesk.org.models import ExecutiveRota
from relaydesk.outbox.models import OutgoingMail
from relaydesk.timekeeping import now

REPO = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def worker_env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RELAYDESK_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="relaydesk.settings",
        RELAYDESK_HOME=str(home),
        RELAYDESK_SECRET_KEY="test-secret-key-not-for-production",
        RELAYDESK_DATABASE_URL=database_url(),
        RELAYDESK_DB_CONN_MAX_AGE="0",
        # Digests at every round: the tests wait for all mail, not for a five-minute window.
        RELAYDESK_DIGEST_MINUTES="0",
        PYTHONPATH=str(REPO),
    )
    env.update(extra)
    return env


def start_worker(env: dict[str, str], *, batch_size: int = 100, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "relaydesk.cli", "worker", "--batch-size", str(batch_size)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )


def stop_workers(workers: list[subprocess.Popen]) -> list[int]:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    return [worker.wait(timeout=30) for worker in workers]


def seed_due_cases(cast, count: int) -> None:
    """`count` open cases owned by fran whose deadline passed an hour ago (bulk, for scale)."""
    moment = now()
    customer = Customer.objects.create(name="Carla", email="carla@example.com", created_at=moment)
    Case.objects.bulk_create(
        [
            Case(
                customer=customer,
                category=cast.billing,
                subject=f"Due case {n}",
                status=Status.OPEN,
                owner=cast.fran,
                tier=cast.tiers["frontline"],
                opened_at=moment - timedelta(hours=21),
                deadline=moment - timedelta(hours=1, seconds=n % 600),
                last_activity_at=moment - timedelta(hours=21),
                owner_active_at=moment - timedelta(hours=21),
                next_tickle_at=moment + timedelta(days=10),
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    today = moment.date()
    ExecutiveRota.objects.create(
        staff=cast.ed.staff, starts_on=today - timedelta(days=2), ends_on=today + timedelta(days=2)
    )


def escalation_events() -> int:
    return Event.objects.filter(kind=EventKind.ESCALATED).count()


def all_done() -> bool:
    return (
        not Case.objects.filter(status=Status.OPEN, escalated=False).exists()
        and not Notification.objects.filter(mail_pending=True).exists()
        and not OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).exists()
    )


def wait_until(condition, *, timeout: float, every: float = 0.25) -> None:
    give_up = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > give_up:
            raise TimeoutError(f"still not done after {timeout} s")
        time.sleep(every)


def product_env(home) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAYDESK_")}
    env.update(
        DJANGO_SETTINGS_MODULE="relaydesk.settings",
        RELAYDESK_HOME=str(home),
        RELAYDESK_SECRET_KEY="test-secret-key-not-for-production",
        PYTHONPATH=str(REPO),
    )
    return env


def relaydesk(*args: str) -> list[str]:
    return [sys.executable, "-m", "relaydesk.cli", *args]
