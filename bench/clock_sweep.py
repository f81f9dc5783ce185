"""The clock's sweep at scale: 1M open cases, 10,000 of them past their deadline.

Prints: how long the escalation sweep takes to escalate every due case (goal ≤ 5 s for
10,000), the idle sweep with nothing due (goal ≤ 10 ms, index only) with its query plan, and
the worker's "when is the next thing due" look-up that decides how long it sleeps. Beside
each wall-clock figure: the CPU time of this process and, on PostgreSQL, of its server
backend (the machine is shared, so wall clock alone says little).

    python -m bench.clock_sweep [--open 1000000] [--due 10000] [--batch N] [--seed-cache]
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench.clock_sweep

--batch defaults to the worker's own batch size for the engine (relaydesk.clock.sweep).
--seed-cache keeps the seeded database (a SQLite file in the temp dir, or a PostgreSQL
template database) and reuses it on the next run with the same --open/--due, so a re-run
costs a copy instead of a seed of several minutes. The sweep runs with the clock held at the
seeding moment, so the same cases are due however old the copy is.
"""

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


class CpuClock:
    """CPU seconds of this process and (PostgreSQL) of the connection's server backend."""

    def __init__(self):
        from django.db import connection

        self.backend_pid = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend_pid = cursor.fetchone()[0]

    def _server(self) -> float | None:
        if self.backend_pid is None:
            return None
        try:
            fields = Path(f"/proc/{self.backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the server runs on another host: no figure
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def read(self) -> tuple[float, float | None]:
        return time.process_time(), self._server()

    def since(self, start: tuple[float, float | None]) -> str:
        client, server = self.read()
        text = f"CPU: client {client - start[0]:.2f} s"
        if server is not None and start[1] is not None:
            text += f", PostgreSQL backend {server - start[1]:.2f} s"
        return text


def claim_plan() -> str:
    """The plan of the claim query exactly as the sweep runs it on this engine."""
    from django.db import connection, transaction

    from relaydesk.clock.sweep import SQLITE_DUE, escalation_due
    from relaydesk.timekeeping import now

    moment = now()
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "EXPLAIN QUERY PLAN " + SQLITE_DUE["escalation"],
                    [connection.ops.adapt_datetimefield_value(moment), 100],
                )
                return "\n".join(str(row[-1]) for row in cursor.fetchall())
        query = escalation_due(moment).select_for_update(skip_locked=True, of=("self",))
        query = query.order_by("deadline").values_list("id", flat=True)[:100]
        return query.explain(analyze=True, buffers=True)


def batch_plans(batch: int) -> str:
    """The plans of one escalation batch's reads and UPDATEs on cases_case (rolled back)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from relaydesk.clock import sweep

    lines = []
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            sweep.handle_one_escalation_batch(limit=batch)
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"] or ""
                if '"cases_case"' not in sql or not sql.startswith(("SELECT", "UPDATE")):
                    continue
                lines.append(sql[:110] + ("…" if len(sql) > 110 else ""))
                if connection.vendor == "sqlite":
                    cursor.execute("EXPLAIN QUERY PLAN " + sql)
                    plan = [str(row[-1]) for row in cursor.fetchall()]
                else:
                    cursor.execute("EXPLAIN " + sql)
                    plan = [row[0] for row in cursor.fetchall()]
                # the id lists would fill the screen
                lines.extend(
                    "    " + line[:110] + ("…" if len(line) > 110 else "") for line in plan
                )
        transaction.set_rollback(True)
    return "\n".join(lines)


def idle_figures(label: str) -> None:
    from relaydesk.clock import sweep
    from relaydesk.outbox import sending

    idle = timed(sweep.handle_one_escalation_batch, 200)
    print(
        f"[clock] {label}: idle escalation sweep (nothing due): "
        f"median {statistics.median(idle):.2f} ms, max {max(idle):.2f} ms over 200 "
        "(goal ≤ 10 ms)"
    )
    idle_mail = timed(sending.handle_one_send_batch, 200)
    print(f"[clock] {label}: idle outbox step: median {statistics.median(idle_mail):.2f} ms")
    wake = timed(sweep.next_due_at, 200)
    print(
        f"[clock] {label}: next-due look-up (how long to sleep): "
        f"median {statistics.median(wake):.2f} ms"
    )
    print(f"[clock] {label}: query plan of the claim:")
    print("    " + claim_plan().replace("\n", "\n    "))


class SeedCache:
    """A seeded database kept between runs: a SQLite file, or a PostgreSQL template."""

    def __init__(self, n_open: int, n_due: int):
        from bench import database

        self.key = f"{n_open}_{n_due}"
        self.server_url = os.environ.get("RELAYDESK_DATABASE_URL", "")  # as bench_database set it
        self.template = f"{database.BENCH_DB_NAME}_seed_{self.key}"
        folder = Path(tempfile.gettempdir())
        self.sqlite_file = folder / f"relaydesk-clock-seed-{self.key}.sqlite3"
        self.moment_file = folder / f"relaydesk-clock-seed-{self.key}.json"
        if self.server_url:
            self.moment_file = folder / f"relaydesk-clock-seed-{self.template}.json"

    def _admin(self, sql: str) -> None:
        from bench.database import _admin_execute

        _admin_execute(self.server_url, sql)

    def _live_name(self) -> str:
        from django.db import connection

        return connection.settings_dict["NAME"]

    def restore(self) -> datetime | None:
        """Put the cached seed in place of the fresh database; its seeding moment, or None."""
        from django.db import connection

        if not self.moment_file.exists():
            return None
        moment = datetime.fromisoformat(json.loads(self.moment_file.read_text())["moment"])
        live = self._live_name()
        connection.close()
        if connection.vendor == "sqlite":
            if not self.sqlite_file.exists():
                return None
            for suffix in ("-wal", "-shm"):
                Path(f"{live}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.sqlite_file, live)
        else:
            self._admin(f"DROP DATABASE {live} WITH (FORCE)")
            try:
                self._admin(f"CREATE DATABASE {live} TEMPLATE {self.template}")
            except Exception:
                self._admin(f"CREATE DATABASE {live}")
                raise
        return moment

    def save(self, moment: datetime) -> None:
        from django.db import connection

        live = self._live_name()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()
            shutil.copyfile(live, self.sqlite_file)
        else:
            connection.close()
            self._admin(f"DROP DATABASE IF EXISTS {self.template}")
            self._admin(f"CREATE DATABASE {self.template} TEMPLATE {live}")
        self.moment_file.write_text(json.dumps({"moment": moment.isoformat()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--open", type=int, default=1_000_000, help="open cases")
    parser.add_argument("--due", type=int, default=10_000, help="of them past their deadline")
    parser.add_argument(
        "--batch", type=int, default=None, help="cases per batch (default: the worker's)"
    )
    parser.add_argument(
        "--seed-cache", action="store_true", help="keep the seeded database and reuse it"
    )
    parser.add_argument("--profile", help="write a cProfile of the sweep to this file")
    args = parser.parse_args()

    from bench import database
    from bench.database import analyze, bench_database, flush_sqlite

    if "BENCH_DB_NAME" not in os.environ:
        database.BENCH_DB_NAME = "relaydesk_bench_clock"  # not the core benchmarks' database
    with bench_database() as engine:
        from django.core.management import call_command
        from django.db import connection

        from bench.seed import seed
        from relaydesk.cases.models import Event, EventKind
        from relaydesk.clock import sweep
        from relaydesk.outbox.models import OutgoingMail
        from relaydesk.timekeeping import now, pinned

        print(f"[clock] {engine}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        cache = SeedCache(args.open, args.due) if args.seed_cache else None
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
                overdue_share=args.due / args.open,
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
            # The seed (synchronous=OFF) or the copy left a gigabyte of dirty pages: flush them
            # now, or the sweep's first checkpoint fsync pays for writing the whole file.
            started = time.perf_counter()
            flush_sqlite()
            print(f"[clock] flushed the database to disk in {time.perf_counter() - started:.0f} s")
        batch = args.batch or sweep.escalation_batch_size()
        with pinned(moment):
            due = sweep.escalation_due(moment).count()
            print(f"[clock] due for escalation: {due:,}")
            print(f"[clock] plans of one batch's statements on cases_case (batch of {batch}):")
            print("    " + batch_plans(batch).replace("\n", "\n    "))
            cpu = CpuClock()
            start_cpu = cpu.read()
            profiler = None
            if args.profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            started = time.perf_counter()
            batches = 0
            while sweep.handle_one_escalation_batch(limit=batch):
                batches += 1
            seconds = time.perf_counter() - started
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
            spent = cpu.since(start_cpu)
        escalated = Event.objects.filter(kind=EventKind.ESCALATED).count()
        print(
            f"[clock] escalation sweep: {escalated:,} cases escalated in {seconds:.2f} s "
            f"({batches} batches of ≤{batch}; {escalated / seconds:,.0f} cases/s; "
            f"goal 10,000 in ≤ 5 s); {spent}; "
            f"{OutgoingMail.objects.count():,} notification mails queued"
        )

        OutgoingMail.objects.update(status=OutgoingMail.Status.SENT)
        # Seeded deadlines keep falling due in real time (about 14 a second at 1M cases), so
        # the idle figures are taken with the clock held still: nothing new becomes due.
        # Statistics as they were before the burst (nothing escalated, all mail queued):
        # PostgreSQL then sees case_open_deadline_idx and case_escalation_due_idx as equally
        # good and may walk every escalated open case. Autovacuum's ANALYZE fixes that in a
        # live system; both are shown.
        with pinned(moment):
            idle_figures("stale statistics")
            analyze()
            idle_figures("after ANALYZE")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM cases_case")  # what autovacuum does (1%, migration)
                idle_figures("after VACUUM")


if __name__ == "__main__":
    main()
