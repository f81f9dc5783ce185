"""The clock at scale: a storm of due cases among many open ones, escalated by real workers.

The goal (issue 12): 10,000 cases due at the same moment among 1,000,000 open cases, the last
one escalated ≤ 60 s after its deadline, each exactly once, with one worker on SQLite and with
1 and 4 workers on PostgreSQL; the idle sweep (nothing due) ≤ 10 ms.

How: the seed makes `--due` overdue open cases per run (one run on SQLite; on PostgreSQL one
with 1 worker, then one with 4). For a run, those cases get the same deadline a few seconds
ahead; `relaydesk worker` processes are started (they sleep until the deadline, as in
production), and the benchmark polls until every one of them has its `escalated` event. It
prints the lag of the last one after the deadline, checks each was escalated exactly once,
counts the executive's bell lines and shows that the storm gives ONE digest mail. Then, with
the clock held still (nothing due), the idle steps' times and the plans of the claim and
"next due" queries (both engines must walk the partial indexes).

    python -m bench.clock_sweep [--open 1000000] [--due 10000] [--seed-cache]
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench.clock_sweep

--seed-cache keeps the seeded database (a SQLite file in the temp dir, or a PostgreSQL
template database) and reuses it on the next run with the same --open/--due.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AHEAD = timedelta(seconds=8)  # the storm's deadline: the workers are up and asleep by then
GIVE_UP = 900  # seconds after the deadline: a run that is not done by then failed


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def plans() -> str:
    """The plans of the worker's claim and "next due" queries, as the steps build them."""
    from django.db import transaction

    from relaydesk.cases.models import Case, Notification, Status
    from relaydesk.clock import sweep
    from relaydesk.outbox import sending
    from relaydesk.outbox.models import OutgoingMail
    from relaydesk.timekeeping import now

    moment = now()
    lock = {"skip_locked": True, "of": ("self",)}
    queries = {
        "escalation claim": sweep.escalation_due(moment)
        .select_for_update(**lock)
        .order_by("deadline")
        .values_list("id", flat=True)[:500],
        "tickle claim": sweep.tickle_due(moment)
        .select_for_update(**lock)
        .order_by("next_tickle_at")
        .values_list("id", flat=True)[:100],
        "outbox claim": sending.due_mail(moment)
        .select_for_update(skip_locked=True)
        .order_by("next_attempt_at")[:50],
        "digest claim": Notification.objects.filter(mail_pending=True, created_at__lte=moment)
        .select_for_update(**lock)
        .order_by("created_at")
        .values_list("user_id", flat=True)[:1],
        "next deadline": Case.objects.filter(
            status=Status.OPEN, escalated=False, deadline__gte=moment
        )
        .order_by("deadline")
        .values_list("deadline", flat=True)[:1],
        "next tickle": Case.objects.filter(status=Status.OPEN, next_tickle_at__isnull=False)
        .order_by("next_tickle_at")
        .values_list("next_tickle_at", flat=True)[:1],
        "next mail": OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)[:1],
    }
    lines = []
    with transaction.atomic():
        for name, query in queries.items():
            plan = query.explain()
            lines.append(f"{name}: " + plan.replace("\n", "\n    "))
    return "\n".join(lines)


def idle_figures(label: str) -> None:
    from relaydesk.cases.notify import handle_one_digest
    from relaydesk.clock import sweep
    from relaydesk.outbox import sending

    for name, step in (
        ("escalation sweep", sweep.handle_one_escalation_batch),
        ("tickle sweep", sweep.handle_one_tickle_batch),
        ("digest step", handle_one_digest),
        ("outbox step", sending.handle_one_send_batch),
        ("next-due look-up (how long to sleep)", sweep.next_due_at),
    ):
        times = timed(step, 200)
        print(
            f"[clock] {label}: idle {name}: median {statistics.median(times):.2f} ms, "
            f"max {max(times):.2f} ms over 200"
            + (" (goal ≤ 10 ms)" if "escalation" in name else "")
        )
    print(f"[clock] {label}: query plans:")
    print("    " + plans().replace("\n", "\n    "))


def start_workers(count: int, log_dir: Path) -> list[subprocess.Popen]:
    env = dict(os.environ, PYTHONPATH=str(REPO))  # bench_database set the database and home
    return [
        subprocess.Popen(
            [sys.executable, "-m", "relaydesk.cli", "worker"],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=(log_dir / f"worker-{count}-{n}.log").open("wb"),
        )
        for n in range(count)
    ]


def stop(workers: list[subprocess.Popen]) -> list[int]:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    return [worker.wait(timeout=120) for worker in workers]


def storm(case_ids: list[int], workers: int, label: str, log_dir: Path) -> None:
    """Give `case_ids` one deadline a few seconds ahead; real workers escalate them."""
    from django.db.models import Count, Max

    from relaydesk.cases.models import Case, Event, EventKind, Notification
    from relaydesk.timekeeping import now

    deadline = now().replace(microsecond=0) + AHEAD
    for start in range(0, len(case_ids), 5000):
        Case.objects.filter(pk__in=case_ids[start : start + 5000]).update(deadline=deadline)
    processes = start_workers(workers, log_dir)
    escalated = Event.objects.filter(
        kind=EventKind.ESCALATED, case_id__in=case_ids, at__gte=deadline
    )
    try:
        while escalated.values("case_id").distinct().count() < len(case_ids):
            if (now() - deadline).total_seconds() > GIVE_UP:
                raise SystemExit(f"[clock] {label}: not done {GIVE_UP} s after the deadline")
            if any(p.poll() is not None for p in processes):
                raise SystemExit(f"[clock] {label}: a worker died; see {log_dir}")
            time.sleep(0.5)
    finally:
        exit_codes = stop(processes)
    last = escalated.aggregate(last=Max("at"))["last"]
    lag = (last - deadline).total_seconds()
    twice = escalated.values("case_id").annotate(n=Count("id")).filter(n__gt=1).count()
    lines = Notification.objects.filter(event__in=escalated)
    print(
        f"[clock] {label}: {len(case_ids):,} cases due at one moment, {workers} worker(s): "
        f"the last escalated {lag:.1f} s after the deadline (goal ≤ 60 s); "
        f"escalated twice: {twice}; bell lines {lines.count():,}, waiting for the digest "
        f"{lines.filter(mail_pending=True).count():,}; worker exit codes {exit_codes}"
    )


def one_digest(label: str) -> None:
    """The storm's bell lines go to the executive as one mail once the window has passed."""
    from relaydesk.cases.notify import digest_window, handle_one_digest
    from relaydesk.outbox.models import OutgoingMail
    from relaydesk.timekeeping import now, pinned

    before = OutgoingMail.objects.count()
    started = time.perf_counter()
    digests = 0
    with pinned(now() + digest_window()):
        while handle_one_digest():
            digests += 1
    made = OutgoingMail.objects.count() - before
    print(
        f"[clock] {label}: {digests} digest(s), {made} mail(s) for every pending bell line, "
        f"made in {time.perf_counter() - started:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--open", type=int, default=1_000_000, help="open cases")
    parser.add_argument("--due", type=int, default=10_000, help="cases due at once, per run")
    parser.add_argument(
        "--seed-cache", action="store_true", help="keep the seeded database and reuse it"
    )
    args = parser.parse_args()

    from bench import database
    from bench.database import analyze, bench_database, flush_sqlite
    from bench.seed_cache import SeedCache

    if "BENCH_DB_NAME" not in os.environ:
        database.BENCH_DB_NAME = "relaydesk_bench_clock"  # not the core benchmarks' database
    with bench_database() as engine:
        from django.core.management import call_command
        from django.db import connection

        from bench.seed import seed
        from relaydesk.cases.models import Case, Status
        from relaydesk.timekeeping import now, pinned

        runs = [1] if engine == "sqlite" else [1, 4]
        print(f"[clock] {engine}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        cache = (
            SeedCache("clock", f"{args.open}_{args.due * len(runs)}") if args.seed_cache else None
        )
        started = time.perf_counter()
        moment = cache.restore() if cache else None
        if moment is not None:
            call_command("migrate", verbosity=0)  # the cache predates any newer migration
            print(f"[clock] reused the cached seed in {time.perf_counter() - started:.0f} s")
        else:
            moment = now()
            seed(
                args.open,
                open_share=1.0,
                overdue_share=args.due * len(runs) / args.open,
                moment=moment,
                progress=False,
            )
            analyze()
            print(
                f"[clock] seeded {args.open:,} open cases in {time.perf_counter() - started:.0f} s"
            )
            if cache:
                cache.save(moment)
        if connection.vendor == "sqlite":
            flush_sqlite()  # the seed's dirty pages on disk now, not in the first checkpoint
            # flush_sqlite opened and closed the database file, which drops every POSIX lock
            # this process's connection held on it; another process writing beside a
            # connection without its locks corrupts the database (sqlite.org/howtocorrupt,
            # 2.2). A new connection takes its locks afresh.
            connection.close()
        overdue = list(
            Case.objects.filter(status=Status.OPEN, escalated=False, deadline__lte=moment)
            .order_by("id")
            .values_list("id", flat=True)
        )
        groups = [overdue[n * args.due : (n + 1) * args.due] for n in range(len(runs))]
        later = now() + timedelta(days=2)  # every storm but the running one waits
        Case.objects.filter(pk__in=overdue).update(deadline=later)
        # The seed leaves most open cases' reminders overdue; a running system has sent them
        # long ago. Left in, a backlog of reminders would share every round with the storm.
        Case.objects.filter(status=Status.OPEN, next_tickle_at__lte=later).update(
            next_tickle_at=later
        )
        log_dir = Path(tempfile.mkdtemp(prefix="relaydesk-clock-bench-"))
        for workers, ids in zip(runs, groups, strict=True):
            storm(ids, workers, engine, log_dir)
        one_digest(engine)
        shutil.rmtree(log_dir, ignore_errors=True)

        # The seeded deadlines keep falling due in real time, so the idle figures are taken
        # with the clock held at the seeding moment: nothing is due.
        with pinned(moment):
            idle_figures("statistics after the seed")
            analyze()
            idle_figures("after ANALYZE")


if __name__ == "__main__":
    main()
