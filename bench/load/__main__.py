"""`python -m bench.load --engine sqlite|postgres`: 50 staff and inbound mail for 60 s.

1. A fresh RELAYDESK_HOME (and, on PostgreSQL, a fresh database `load` on 127.0.0.1:5432):
   the company (bench/load/prepare.py), a small history through the actions, a signed-in
   session for each of the 50 staff.
2. The servers, on loopback ports chosen now: `relaydesk serve` on SQLite; gunicorn with 4
   workers plus 2 `relaydesk worker` on PostgreSQL; `relaydesk mailin` on both.
3. Cases whose deadline falls during the run, then locust (headless, fixed duration):
   50 staff on My cases, the queue, the case page, replies and takes; 5 messages/s from 50
   senders over SMTP to mailin.
   (After one warm-up round of the pages: bench/load/warmup.py says why.)
4. Per-page p95, errors, and each due case escalated exactly once (its `escalated` events
   counted per opening afterwards); the servers' logs are searched for errors.

Goals: 0 errors, p95 ≤ 500 ms on every page. Figures: docs/operations.md, "Load run".
Needs the `load` extra (locust, gunicorn) in a venv of its own (pyproject.toml says why):

    python3 -m venv ~/relaydesk-load-venv && ~/relaydesk-load-venv/bin/pip install -e '.[load]'
    ~/relaydesk-load-venv/bin/python -m bench.load --engine sqlite
    ~/relaydesk-load-venv/bin/python -m bench.load --engine postgres  # database `load`
"""

import argparse
import csv
import json
import math
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench.load import prepare, servers
from bench.load.warmup import warm_up

GOAL_P95_MS = 500
NOT_PAGES = ("Aggregated", "mail in (new case)", "take refused (race)")
FIGURES = ("Median Response Time", "95%", "99%", "Max Response Time")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--database-url",
        default="postgresql://postgres@127.0.0.1:5432/load",
        help="PostgreSQL only: this database is dropped and created afresh, and dropped after",
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--staff", type=int, default=50, help="at most the company's 50")
    parser.add_argument("--mail-rate", type=int, default=5, help="messages a second")
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--due", type=int, default=30, help="cases due during the run")
    parser.add_argument("--cases-each", type=int, default=8, help="history: cases per person")
    parser.add_argument("--keep", action="store_true", help="keep the home (and database)")
    parser.add_argument(
        "--processes", type=int, help="SQLite: `relaydesk serve --processes` (default: its own)"
    )
    parser.add_argument(
        "--threads", type=int, help="SQLite: `relaydesk serve --threads` (default: its own)"
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=10,
        help="seconds over which the people start, not measured: the figures are of the "
        "--duration seconds after all have started (default 10; 0: all start in the same "
        "second, each opening My cases first, and that second is measured too)",
    )
    return parser.parse_args()


def environment(args, home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "RELAYDESK_HOME": str(home),
        "RELAYDESK_SECRET_KEY": secrets.token_urlsafe(40),  # one key for every process
        "RELAYDESK_DEBUG": "false",
        "RELAYDESK_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "RELAYDESK_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "relaydesk.settings",
        "PYTHONPATH": str(servers.PROJECT),
    }
    env.pop("RELAYDESK_DATABASE_URL", None)
    if args.engine == "postgres":
        env["RELAYDESK_DATABASE_URL"] = args.database_url
    # Each sender opens ceil(rate × duration / senders) cases by mail within the hour; the
    # per-sender cap must not quarantine them (docs/email.md). 5/s × 60 s / 50 = 6 ≤ 20.
    per_sender = math.ceil(args.mail_rate * args.duration / args.senders)
    cap = int(os.environ.get("RELAYDESK_MAIL_CASES_PER_SENDER_HOUR", "20"))
    if 0 < cap < per_sender:
        env["RELAYDESK_MAIL_CASES_PER_SENDER_HOUR"] = str(per_sender)
        print(f"[load] RELAYDESK_MAIL_CASES_PER_SENDER_HOUR={per_sender} for this run", flush=True)
    else:
        limit = f"under the cap of {cap}" if cap else "no cap set"
        print(f"[load] {per_sender} new cases per sender by mail, {limit}: no change")
    return env


def database_name(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path.lstrip("/")


def fresh_database(url: str, *, drop_only: bool = False) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def set_up(args, home: Path, env: dict[str, str]) -> dict:
    """Django in this process on the run's database: migrated, the company, the history."""
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    prepare.seed_company(home)
    opened = prepare.seed_history(args.cases_each)
    keys = prepare.sessions()
    print(
        f"[load] prepared in {time.perf_counter() - started:.0f} s: 50 staff, {opened} cases "
        "opened through the actions (some with a note and a reply), a session each",
        flush=True,
    )
    from relaydesk.cases.models import Case

    refs = [case.ref for case in Case.objects.order_by("?")[:200]]
    staff = dict(list(keys.items())[: args.staff])
    return {"sessions": staff, "refs": refs, "support": prepare.SUPPORT}


def seed_due_now(args) -> list[int]:
    """Deadlines spread from 15 s into the run to 10 s before its end."""
    from relaydesk.timekeeping import now

    start = now()
    span = max(1, args.duration - 25)
    deadlines = [
        start + timedelta(seconds=15 + span * number / max(1, args.due - 1))
        for number in range(args.due)
    ]
    return prepare.seed_due(deadlines)


class LoadSampler(threading.Thread):
    """The machine's 1-minute load average every 5 s while the run goes on."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(5):
            self.samples.append(os.getloadavg()[0])


def run_locust(args, home: Path, env: dict[str, str], plan: dict, web_port: int) -> Path:
    plan_path = home / "plan.json"
    plan_path.write_text(json.dumps(plan))
    users = len(plan["sessions"]) + plan["mail_users"]
    spawn_rate = users / args.ramp if args.ramp > 0 else users
    argv = [
        str(servers.BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless", "--users", str(users), "--spawn-rate", str(spawn_rate),
        "--run-time", f"{args.duration + args.ramp:g}s", "--stop-timeout", "10",
        *(["--reset-stats"] if args.ramp > 0 else []),  # measured once all have started
        "--host", f"http://127.0.0.1:{web_port}", "--csv", str(home / "locust"),
        "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    ramp = f" after a {args.ramp:g} s start, not measured" if args.ramp > 0 else ""
    print(f"[load] locust: {users} users for {args.duration} s{ramp} …", flush=True)
    with open(home / "locust.log", "wb") as log:
        subprocess.run(
            argv,
            env={**env, "LOAD_PLAN": str(plan_path)},
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
            timeout=args.duration + 120,
        )
    return home / "locust_stats.csv"


def wait_for_escalations(due: list[int], seconds: float) -> None:
    from relaydesk.cases.models import Case

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if Case.objects.filter(pk__in=due, escalated=False).count() == 0:
            return
        time.sleep(1)


def escalations(due: list[int]) -> dict[str, int]:
    """Escalated events per case and opening (each due case was opened once: opening 1)."""
    from django.db.models import Count, Q

    from relaydesk.cases.models import Case, EventKind

    per_case = Case.objects.filter(pk__in=due).annotate(
        times=Count("events", filter=Q(events__kind=EventKind.ESCALATED))
    )
    counts = {"due": len(due), "once": 0, "never": 0, "more": 0, "reopened": 0}
    for case in per_case:
        counts["reopened"] += case.opening != 1
        counts["once" if case.times == 1 else "never" if case.times == 0 else "more"] += 1
    from relaydesk.cases.models import Event

    counts["others"] = Event.objects.filter(kind=EventKind.ESCALATED).exclude(case__in=due).count()
    return counts


def mail_outcomes() -> dict[str, int]:
    from django.db.models import Count

    from relaydesk.intake.models import Quarantine, RawMessage

    rows = RawMessage.objects.values("outcome").annotate(n=Count("id"))
    outcomes = {row["outcome"] or "unprocessed": row["n"] for row in rows}
    outcomes["quarantine rows"] = Quarantine.objects.count()
    return outcomes


def server_errors(logs: dict[str, str]) -> dict[str, int]:
    marks = ("Traceback", " ERROR ", "ERROR django", "[CRITICAL]", "WORKER TIMEOUT")
    return {
        name: count
        for name, text in logs.items()
        if (count := sum(line.count(mark) for line in text.splitlines() for mark in marks))
    }


def read_stats(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Outcome:
    engine: str
    rows: list[dict[str, str]]
    escalated: dict[str, int]
    mail: dict[str, int]
    log_errors: dict[str, int]
    load: list[float]
    cpu: dict[str, float]  # CPU-seconds each process used during the locust run


def page_table(rows: list[dict[str, str]]) -> tuple[int, list[str]]:
    """Prints the per-page figures; returns the errors and the pages over the p95 goal."""
    print(f"{'page':<24}{'requests':>9}{'errors':>8}{'median':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    failures, slow = 0, []
    for row in rows:
        name = row["Name"]
        failures += int(row["Failure Count"]) if name != "Aggregated" else 0
        if name not in NOT_PAGES and float(row["95%"] or 0) > GOAL_P95_MS:
            slow.append(name)
        print(
            f"{name:<24}{row['Request Count']:>9}{row['Failure Count']:>8}"
            + "".join(f"{float(row[k] or 0):>6.0f} ms" for k in FIGURES)
        )
    return failures, slow


def report(outcome: Outcome, duration: int) -> bool:
    print(f"\n== load run on {outcome.engine}: per page ==")
    failures, slow = page_table(outcome.rows)
    escalated = outcome.escalated
    exactly_once = escalated["once"] == escalated["due"] and not escalated["others"]
    print(f"\nescalations: {escalated} → {'each exactly once' if exactly_once else 'WRONG'}")
    print(f"mail: {outcome.mail}")
    print(f"errors in the servers' logs: {outcome.log_errors or 'none'}")
    pages = sum(int(r["Request Count"]) for r in outcome.rows if r["Name"] not in NOT_PAGES)
    web = sum(v for k, v in outcome.cpu.items() if k in ("serve", "gunicorn"))
    cpu = ", ".join(f"{name} {seconds:.1f}" for name, seconds in outcome.cpu.items())
    print(
        f"CPU-seconds used in the {duration} s: {cpu}; the web side "
        f"{web / max(1, pages) * 1000:.0f} ms of CPU a page ({pages} pages)"
    )
    print(
        f"machine: {os.cpu_count()} CPUs, 1-min load average during the run "
        f"{min(outcome.load, default=0):.1f}-{max(outcome.load, default=0):.1f} "
        "(shared with other work)"
    )
    ok = failures == 0 and exactly_once and not outcome.log_errors and not slow
    print(
        f"goals: errors {failures} (goal 0); p95 ≤ {GOAL_P95_MS} ms on every page: "
        f"{'yes' if not slow else 'no: ' + ', '.join(slow)}; {'MET' if ok else 'NOT MET'}"
    )
    return ok


def main() -> None:
    args = arguments()
    if shutil.which("locust", path=str(servers.BIN)) is None:  # `python -m bench` in .venv
        print("[load] not run: locust is not in this venv (bench/load/__main__.py says how)")
        return
    home = Path(tempfile.mkdtemp(prefix="relaydesk-load-"))
    env = environment(args, home)
    if args.engine == "postgres":
        fresh_database(args.database_url)
    try:
        ok = run(args, home, env)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            if args.engine == "postgres":
                fresh_database(args.database_url, drop_only=True)
            shutil.rmtree(home, ignore_errors=True)
        else:
            print(f"[load] kept {home}")
    sys.exit(0 if ok else 1)


def run(args, home: Path, env: dict[str, str]) -> bool:
    plan = set_up(args, home, env)
    web_port, smtp_port = servers.free_port(), servers.free_port()
    plan |= {"smtp_port": smtp_port, "senders": args.senders, "mail_users": args.mail_rate}
    sampler = LoadSampler()
    serve_options = tuple(
        part
        for option in ("processes", "threads")
        if getattr(args, option) is not None
        for part in (f"--{option}", str(getattr(args, option)))
    )
    with servers.running(
        args.engine, home, env, web_port=web_port, smtp_port=smtp_port, serve_options=serve_options
    ) as ps:
        took = warm_up(f"http://127.0.0.1:{web_port}", next(iter(plan["sessions"].values())), 4)
        print(f"[load] warm-up (4 rounds of the pages and a reply): {took:.1f} s", flush=True)
        due = seed_due_now(args)
        sampler.start()
        before, children = ps.cpu_seconds(), resource.getrusage(resource.RUSAGE_CHILDREN)
        if args.engine == "postgres":
            before["postgres"] = ps.database_cpu_seconds(database_name(args.database_url))
        stats = run_locust(args, home, env, plan, web_port)
        after, reaped = ps.cpu_seconds(), resource.getrusage(resource.RUSAGE_CHILDREN)
        if args.engine == "postgres":  # backends of connections that closed meanwhile: lost
            after["postgres"] = ps.database_cpu_seconds(database_name(args.database_url))
        sampler.stop.set()
        wait_for_escalations(due, seconds=60)
    cpu = {name: after[name] - before[name] for name in after}
    cpu["locust"] = reaped.ru_utime + reaped.ru_stime - children.ru_utime - children.ru_stime
    outcome = Outcome(
        engine=args.engine,
        rows=read_stats(stats),
        escalated=escalations(due),
        mail=mail_outcomes(),
        log_errors=server_errors(ps.logs()),
        load=sampler.samples,
        cpu=cpu,
    )
    return report(outcome, args.duration)


if __name__ == "__main__":
    main()
