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
    from django.db import connection, transaction

    from relaydesk.clock import now
    from relaydesk.clock.sweep import escalation_due

    with transaction.atomic():
        query = escalation_due(now())
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True, of=("self",))
        query = query.order_by("deadline").values_list("id", flat=True)[:500]
        if connection.vendor == "postgresql":
            return query.explain(analyze=True, buffers=True)
        return query.explain()


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
        from bench.seed import seed
        from relaydesk.cases.models import Event, EventKind
        from relaydesk.clock import sweep
        from relaydesk.outbox import sending
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

        idle = timed(sweep.handle_one_escalation_batch, 200)
        print(
            f"[clock] idle escalation sweep (nothing due): "
            f"median {statistics.median(idle):.2f} ms, "
            f"max {max(idle):.2f} ms over 200 (goal ≤ 10 ms)"
        )
        OutgoingMail.objects.update(status=OutgoingMail.Status.SENT)
        idle_mail = timed(sending.handle_one_send_batch, 200)
        print(f"[clock] idle outbox step: median {statistics.median(idle_mail):.2f} ms")
        wake = timed(sweep.next_due_at, 200)
        print(
            f"[clock] next-due look-up (how long to sleep): median {statistics.median(wake):.2f} ms"
        )
        print("[clock] query plan of the claim (case_escalation_due_idx):")
        print("    " + claim_plan().replace("\n", "\n    "))


if __name__ == "__main__":
    main()
