"""The clock's sweep at scale: 1M open cases, 10,000 of them past their deadline.

Prints: how long the escalation sweep takes to escalate every due case (goal ≤ 5 s for
10,000), the idle sweep with nothing due (goal ≤ 10 ms, index only) with its query plan, and
the worker's "when is the next thing due" look-up that decides how long it sleeps.

    python -m bench.clock_sweep [--open 1000000] [--due 10000] [--batch 500]
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench.clock_sweep
"""

import argparse
import os
import statistics
import time


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def claim_plan() -> str:
    """The plan of the claim query exactly as the sweep runs it on this engine."""
    from django.db import connection, transaction

    from relaydesk.clock import now
    from relaydesk.clock.sweep import SQLITE_DUE, escalation_due

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--open", type=int, default=1_000_000, help="open cases")
    parser.add_argument("--due", type=int, default=10_000, help="of them past their deadline")
    parser.add_argument(
        "--batch", type=int, default=100, help="cases per batch (the worker default)"
    )
    args = parser.parse_args()

    from bench import database
    from bench.database import analyze, bench_database

    database.BENCH_DB_NAME = "relaydesk_bench_clock"  # not the core benchmarks' database
    with bench_database() as engine:
        from django.db import connection

        from bench.seed import seed
        from relaydesk.cases.models import Event, EventKind
        from relaydesk.clock import now, pinned, sweep
        from relaydesk.outbox.models import OutgoingMail

        print(f"[clock] {engine}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        started = time.perf_counter()
        seed(args.open, open_share=1.0, overdue_share=args.due / args.open, progress=False)
        analyze()
        print(f"[clock] seeded {args.open:,} open cases in {time.perf_counter() - started:.0f} s")
        due = sweep.escalation_due(sweep.now()).count()
        print(f"[clock] due for escalation: {due:,}")

        started = time.perf_counter()
        batches = 0
        while sweep.handle_one_escalation_batch(limit=args.batch):
            batches += 1
        seconds = time.perf_counter() - started
        escalated = Event.objects.filter(kind=EventKind.ESCALATED).count()
        print(
            f"[clock] escalation sweep: {escalated:,} cases escalated in {seconds:.2f} s "
            f"({batches} batches of ≤{args.batch}; {escalated / seconds:,.0f} cases/s; "
            f"goal 10,000 in ≤ 5 s); {OutgoingMail.objects.count():,} notification mails queued"
        )

        OutgoingMail.objects.update(status=OutgoingMail.Status.SENT)
        # Seeded deadlines keep falling due in real time (about 14 a second at 1M cases), so
        # the idle figures are taken with the clock held still: nothing new becomes due.
        # Statistics as they were before the burst (nothing escalated, all mail queued):
        # PostgreSQL then sees case_open_deadline_idx and case_escalation_due_idx as equally
        # good and may walk every escalated open case. Autovacuum's ANALYZE fixes that in a
        # live system; both are shown.
        with pinned(now()):
            idle_figures("stale statistics")
            analyze()
            idle_figures("after ANALYZE")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM cases_case")  # what autovacuum does (1%, migration)
                idle_figures("after VACUUM")


if __name__ == "__main__":
    main()
