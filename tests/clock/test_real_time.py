"""The one test that runs the worker in real time: it wakes by itself for a deadline.

Everything runs in subprocesses on a fresh embedded installation (SQLite in a temporary
RELAYDESK_HOME): the company is set up, the product's own process starts, and once its worker
runs (and sleeps) a case is opened, back-dated 30 s with a 1-minute window. The process is
`relaydesk serve` (web + worker thread) when the serve command exists, else `relaydesk worker`.
The waits are give-up limits, not assertions: how soon after the deadline the worker wakes is
tested with a moved clock (tests/clock/test_worker.py) and measured by bench/clock_sweep.py.
"""

import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.clock.processes import REPO, product_env, relaydesk, stop_workers
from tests.outbox.smtp_server import free_port

pytestmark = pytest.mark.slow

SETUP = """
from datetime import timedelta
from relaydesk.timekeeping import now
from relaydesk.org.models import ExecutiveRota
from tests import factories

factories.make_company()
tiers = factories.make_tiers()
factories.make_category("quick", "Quick", solve_window_minutes=1)
factories.make_staff("fran", tiers["frontline"])
ed = factories.make_staff("ed", tiers["executive"])
today = now().date()
ExecutiveRota.objects.create(
    staff=ed, starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1)
)
"""

# Opened 30 s ago with a 1-minute window: due 30 s from now, while the worker sleeps.
OPEN_CASE = """
from datetime import timedelta
from django.contrib.auth.models import User
from relaydesk.timekeeping import now, pinned
from relaydesk.org.models import Category
from tests import factories

with pinned(now() - timedelta(seconds=30)):
    case = factories.make_case(
        category=Category.objects.get(slug="quick"),
        acting=User.objects.get(username="fran"),
        details={},
    )
print(case.pk)
"""


def has_serve_command(env) -> bool:
    probe = subprocess.run(
        relaydesk("manage", "help", "--commands"), env=env, capture_output=True, text=True
    )
    return "serve" in probe.stdout.split()


def read_utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_case_is_escalated_within_a_minute_of_its_deadline_in_real_time(tmp_path):
    env = product_env(tmp_path)
    subprocess.run(relaydesk("manage", "migrate", "-v0"), env=env, check=True, cwd=REPO)
    subprocess.run(relaydesk("manage", "shell", "-c", SETUP), env=env, check=True, cwd=REPO)
    if has_serve_command(env):
        command = relaydesk("serve", "--host", "127.0.0.1", "--port", str(free_port()))
    else:
        command = relaydesk("worker")  # `relaydesk serve` is not there yet: the same loop
    log = tmp_path / "process.log"
    process = subprocess.Popen(command, env=env, cwd=REPO, stderr=log.open("wb"))
    started = time.monotonic()
    while "worker started" not in log.read_text() and time.monotonic() < started + 120:
        time.sleep(0.2)
    opened = subprocess.run(
        relaydesk("manage", "shell", "-c", OPEN_CASE),
        env=env,
        check=True,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    case_id = int(opened.stdout.split()[-1])
    database = sqlite3.connect(tmp_path / "relaydesk.sqlite3", timeout=20)
    try:
        [deadline_text] = database.execute(
            "SELECT deadline FROM cases_case WHERE id = ?", (case_id,)
        ).fetchone()
        deadline = read_utc(deadline_text)
        escalated_at = None
        while escalated_at is None and datetime.now(UTC) < deadline + timedelta(seconds=300):
            row = database.execute(
                "SELECT at FROM cases_event WHERE case_id = ? AND kind = 'escalated'", (case_id,)
            ).fetchone()
            escalated_at = read_utc(row[0]) if row else None
            time.sleep(0.5)
    finally:
        database.close()
        [exit_code] = stop_workers([process])
    assert escalated_at is not None, log.read_text()[-2000:]
    assert escalated_at >= deadline  # never early
    assert exit_code == 0
    print(f"{command[3]}: escalated {(escalated_at - deadline).total_seconds():.1f} s after")
