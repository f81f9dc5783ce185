"""open_case throughput against a raw INSERT of the same rows in one transaction.

For each size, the database first holds that many cases (bench.seed). Then:
1. `open_case` is called N times the way the staff intake page calls it (the intake person
   owns the case; the customer has an email, so each case also writes its "opened" and
   "acknowledged" events and queues the acknowledgement mail): cases/s.
2. The same, routed: email intake (no acting person), so routing picks the least-loaded
   on-duty frontline person whose skills cover the category, and tells them (a notification
   and its mail).
3. The very rows (1) wrote are read back and inserted again with fresh ids by the database
   driver, one INSERT statement per row, all in one transaction: that is the raw rate the goal
   compares with (goal: open_case ≥ 1/10 of it). Two variants are printed too: executemany in
   one transaction, and row by row with one transaction per case (as open_case commits).
4. Staff intake from 8 threads at once (as `relaydesk serve`'s request threads), with group
   commit and with each call committing alone, with each call's latency; and N calls inside
   one outer transaction (like for like with the raw rate).
With --repeat K every step runs K times, interleaved; the figures are medians of the rounds.

    python -m bench.open_case                       # SQLite, 100k and 1M cases
    python -m bench.open_case --repeat 5            # medians of 5 rounds (a noisy machine)
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench.open_case
    python -m bench.open_case --sizes 100000 --count 2000
    python -m bench.open_case --acknowledged        # history includes 1 acknowledgement a case
"""

import argparse
import json
import statistics
import time
from contextlib import nullcontext

DEFAULT_SIZES = (100_000, 1_000_000)
# CPU seconds of this process in the last timed step. On SQLite the database runs inside this
# process, so count ÷ CPU is the rate an idle machine would give, whatever else is running.
CPU = [0.0]
DEFAULT_COUNT = 2_000
WARM_UP = 50
THREADS = 8  # `relaydesk serve` runs 8 request threads by default


def _customers(n: int, tag: str):
    from relaydesk.cases.models import Customer
    from relaydesk.timekeeping import now

    moment = now()
    return Customer.objects.bulk_create(
        Customer(name=f"Bench {tag} {i}", email=f"bench.{tag}.{i}@example.com", created_at=moment)
        for i in range(n)
    )


def _open_many(customers, *, acting, categories, one_transaction: bool = False) -> float:
    """Seconds to open a case for each customer; each its own transaction unless told."""
    from django.db import transaction

    from relaydesk.cases.actions import open_case

    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic() if one_transaction else nullcontext():
        for number, customer in enumerate(customers):
            open_case(
                customer=customer,
                category=categories[number % len(categories)],
                subject="Charged twice for my season ticket",
                details={"reference": f"INV-{number}"},
                channel="phone" if acting else "email",
                acting=acting,
            )
    CPU[0] = time.process_time() - cpu
    return time.perf_counter() - started


def _open_concurrently(customers, *, acting, categories, grouped: bool = True):
    """Open a case for each customer from THREADS threads at once, as `relaydesk serve`'s
    request threads would; returns (seconds, sorted per-call latencies in seconds).

    grouped=False wraps each call in its own transaction.atomic(), which turns group commit
    off (open_case then joins that transaction): every call waits for SQLite's write lock and
    commits alone, as before group commit.
    """
    import threading

    from django.db import connections, transaction

    from relaydesk.cases.actions import open_case

    latencies: list[float] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(THREADS + 1)

    def caller(share):
        try:
            barrier.wait()
            for number, customer in enumerate(share):
                started = time.perf_counter()
                with nullcontext() if grouped else transaction.atomic():
                    open_case(
                        customer=customer,
                        category=categories[number % len(categories)],
                        subject="Charged twice for my season ticket",
                        details={"reference": f"INV-{number}"},
                        channel="phone",
                        acting=acting,
                    )
                latencies.append(time.perf_counter() - started)
        except BaseException as error:  # noqa: BLE001 - reported below, the run is void
            failures.append(error)
        finally:
            connections.close_all()  # this thread's own

    threads = [
        threading.Thread(target=caller, args=(customers[n::THREADS],)) for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    CPU[0] = time.process_time() - cpu
    if failures:
        raise failures[0]
    return seconds, sorted(latencies)


def _rows_since(model, first_id: int) -> tuple[list[str], list[tuple]]:
    from django.db import connection

    columns = [f.column for f in model._meta.concrete_fields]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} "
            "WHERE id >= %s ORDER BY id",
            [first_id],
        )
        return columns, [tuple(row) for row in cursor.fetchall()]


def _max_id(model) -> int:
    from django.db.models import Max

    return model.objects.aggregate(top=Max("id"))["top"] or 0


def _raw_insert(batches, *, mode: str) -> float:
    """Insert the rows with the bare driver; returns seconds including the commit(s).

    mode "rows": one INSERT per row, all in one transaction (the goal's comparison);
    "many": executemany per table, one transaction; "per_case": one INSERT per row, but each
    case's rows in their own transaction, as open_case commits each case.
    """
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    pg = connection.vendor == "postgresql"
    mark = "%s" if pg else "?"
    if pg:
        from psycopg.types.json import Jsonb
    statements = []  # (case id, order, sql, row)
    for order, (table, columns, rows) in enumerate(batches):
        if pg:
            rows = [
                tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in row) for row in rows
            ]
        sql = (
            f"INSERT INTO {connection.ops.quote_name(table)} "  # noqa: S608
            f"({', '.join(connection.ops.quote_name(c) for c in columns)}) "
            f"VALUES ({', '.join(mark for _ in columns)})"
        )
        case_column = columns.index("id" if order == 0 else "case_id")
        statements.extend((row[case_column], order, sql, row) for row in rows)
    begin = (lambda c: None) if pg else (lambda c: c.execute("BEGIN IMMEDIATE"))
    started, cpu = time.perf_counter(), time.process_time()
    cursor = raw.cursor()
    if mode == "per_case":
        statements.sort(key=lambda s: (s[0], s[1]))
        current = None
        for case_id, _, sql, row in statements:
            if case_id != current:
                if current is not None:
                    raw.commit()
                begin(cursor)
                current = case_id
            cursor.execute(sql, row)
    else:
        begin(cursor)
        if mode == "many":
            by_sql: dict[str, list] = {}
            for _, _, sql, row in statements:
                by_sql.setdefault(sql, []).append(row)
            for sql, rows in by_sql.items():
                cursor.executemany(sql, rows)
        else:
            for _, _, sql, row in statements:
                cursor.execute(sql, row)
    raw.commit()
    cursor.close()
    CPU[0] = time.process_time() - cpu
    return time.perf_counter() - started


def _copy_of(rows_by_model, shift: dict[str, int], salt: str):
    """The same rows with new ids (and new unique tokens), foreign keys shifted to match."""
    from relaydesk.cases.models import Case, Event
    from relaydesk.outbox.models import OutgoingMail

    out = []
    for model, (columns, rows) in rows_by_model.items():
        index = {c: i for i, c in enumerate(columns)}
        moved = []
        for row in rows:
            row = list(row)
            row[index["id"]] += shift[model.__name__]
            if model is Case:
                row[index["status_token"]] = f"{row[index['status_token']]}{salt}"
            if model is Event:
                row[index["case_id"]] += shift["Case"]
            if model is OutgoingMail:
                row[index["message_id"]] = row[index["message_id"]].replace("<rd.", f"<rd.{salt}.")
                for fk, target in (("case_id", "Case"), ("event_id", "Event")):
                    if row[index[fk]] is not None:
                        row[index[fk]] += shift[target]
            moved.append(tuple(row))
        out.append((model._meta.db_table, columns, moved))
    return out


def measure(*, count: int = DEFAULT_COUNT, engine: str = "", repeat: int = 1) -> dict:
    """Open `count` cases each way and insert the same rows raw, `repeat` rounds of all of
    it; print and return the medians."""
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from bench.report import heading
    from bench.seed import _reset_sequences
    from relaydesk.cases.models import Case, Event
    from relaydesk.org.models import Category
    from relaydesk.outbox.models import OutgoingMail

    existing = Case.objects.count()
    heading(f"open_case on {engine or connection.vendor} with {existing:,} cases")
    acting = User.objects.select_related("staff__tier").get(username="frontline")
    categories = list(Category.objects.order_by("position"))

    # Fresh customers every time: the acknowledgement is limited per address and hour.
    _open_many(_customers(WARM_UP, f"warm{existing}"), acting=acting, categories=categories)
    rows = None
    rounds = []
    for rep in range(repeat):
        tag = f"{existing}r{rep}"
        rates: dict[str, float] = {}

        def timed(key, seconds, count=count, rates=rates):
            rates[f"{key}_per_s"], rates[f"{key}_per_cpu_s"] = count / seconds, count / CPU[0]

        first = {m: _max_id(m) + 1 for m in (Case, Event, OutgoingMail)}
        customers = _customers(count, f"staff{tag}")
        timed("open_case", _open_many(customers, acting=acting, categories=categories))
        if rows is None:  # the rows the raw inserts copy: the first round's staff intake
            rows = {m: _rows_since(m, first[m]) for m in (Case, Event, OutgoingMail)}
            rows_first = first
        customers = _customers(count, f"routed{tag}")
        timed("open_case_routed", _open_many(customers, acting=None, categories=categories))
        customers = _customers(count, f"batch{tag}")
        seconds = _open_many(customers, acting=acting, categories=categories, one_transaction=True)
        timed("open_case_1tx", seconds)
        for label, grouped in (("together", True), ("apart", False)):
            seconds, latencies = _open_concurrently(
                _customers(count, f"{label}{tag}"),
                acting=acting,
                categories=categories,
                grouped=grouped,
            )
            timed(f"open_case_{label}", seconds)
            for name, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
                rates[f"open_case_{label}_{name}_ms"] = 1000 * latencies[int(share * (count - 1))]
        for mode in ("rows", "many", "per_case"):
            shift = {
                m.__name__: _max_id(m) + 1 - rows_first[m] for m in (Case, Event, OutgoingMail)
            }
            timed(f"raw_{mode}", _raw_insert(_copy_of(rows, shift, salt=f"{mode}{rep}"), mode=mode))
            _reset_sequences([Case, Event, OutgoingMail])  # explicit ids: PostgreSQL's lag behind
        transaction.get_connection().close()  # the raw transactions bypassed Django's bookkeeping
        rounds.append(rates)

    n_rows = sum(len(r) for _, r in rows.values())
    results = {
        "existing_cases": existing,
        "count": count,
        "repeat": repeat,
        "rows_per_case": n_rows / count,
    }
    # Each figure is the median of the rounds (the machine's speed wanders from minute to
    # minute; the rounds interleave every variant so each meets the same wandering).
    for key in rounds[0]:
        results[key] = statistics.median(r[key] for r in rounds)
        results[key + "_range"] = (min(r[key] for r in rounds), max(r[key] for r in rounds))

    # The ratios pair each round's open_case with that round's raw inserts (the same minutes
    # of the machine), then take the median of the rounds. Like for like: the same rows in one
    # transaction both ways, and one commit a case both ways. On SQLite a commit alone costs
    # what three to six raw cases cost, which leaves a caller committing each case little of
    # the goal's budget of ten raw cases.
    ratios = {
        "ratio": ("open_case, 1 tx each ÷ raw row by row, 1 tx", "open_case", "raw_rows"),
        "cpu_ratio": ("  the same by CPU", "open_case", "raw_rows", "_per_cpu_s"),
        "ratio_together": (
            f"open_case, {THREADS} at once ÷ raw row by row, 1 tx",
            "open_case_together",
            "raw_rows",
        ),
        "ratio_1tx": ("open_case × N in 1 tx ÷ raw row by row, 1 tx", "open_case_1tx", "raw_rows"),
        "ratio_per_case": (
            "open_case, 1 tx each ÷ raw, 1 tx per case",
            "open_case",
            "raw_per_case",
        ),
    }
    for key, (_, ours, raw, *unit) in ratios.items():
        unit = unit[0] if unit else "_per_s"
        per_round = [r[ours + unit] / r[raw + unit] for r in rounds]
        results[key] = statistics.median(per_round)
        results[key + "_range"] = (min(per_round), max(per_round))

    print(
        f"rows written per case: {results['rows_per_case']:.1f} (case, opened + acknowledged "
        "events, acknowledgement mail)"
    )
    if repeat > 1:
        print(f"medians of {repeat} rounds, each round running every line below once")
    spread = "  range of the rounds" if repeat > 1 else ""
    print(f"{'':31}{'cases/s':>9}  {'per CPU-s of this process':>26}{spread}")
    for label, key in (
        ("open_case, staff intake", "open_case"),
        ("open_case, routed (email)", "open_case_routed"),
        (f"open_case, {THREADS} callers at once", "open_case_together"),
        ("  the same, each commit alone", "open_case_apart"),
        ("open_case × N in 1 tx", "open_case_1tx"),
        ("raw INSERT, row by row, 1 tx", "raw_rows"),
        ("raw executemany, 1 tx", "raw_many"),
        ("raw INSERT, 1 tx per case", "raw_per_case"),
    ):
        low, high = results[key + "_per_s_range"]
        span = f"  {low:,.0f}–{high:,.0f}" if repeat > 1 else ""
        print(
            f"{label:<31}{results[key + '_per_s']:9,.0f}  "
            f"{results[key + '_per_cpu_s']:26,.0f}{span}"
        )
    for label, what in (("together", "at once"), ("apart", "each commit alone")):
        p50, p95, p99 = (results[f"open_case_{label}_{n}_ms"] for n in ("p50", "p95", "p99"))
        print(
            f"latency of one call, {THREADS} callers {what}: "
            f"median {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms"
        )
    for key, (label, *_) in ratios.items():
        value = results[key]
        verdict = "meets" if value >= 0.1 else "MISSES"
        low, high = results[key + "_range"]
        span = f"  (rounds 1/{1 / low:.1f}–1/{1 / high:.1f})" if repeat > 1 else ""
        print(f"{label:<47} = 1/{1 / value:5.1f}  ({verdict} the goal of ≥ 1/10){span}")
    return results


def main() -> None:
    from bench.database import bench_database

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds of every measurement, interleaved; figures are their medians",
    )
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    parser.add_argument(
        "--acknowledged",
        action="store_true",
        help="seed each case with its acknowledgement event and mail, as production has them",
    )
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with bench_database() as engine:
        from bench.seed import seed
        from relaydesk.cases.models import Case

        results = []
        for size in sizes:
            missing = size - Case.objects.count()
            if missing > 0:
                seed(missing, acknowledged=args.acknowledged)
            results.append(measure(count=args.count, engine=engine, repeat=args.repeat))
        if args.json:
            print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
