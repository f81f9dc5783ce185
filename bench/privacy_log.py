"""What the access log (rule 15) adds to the staff case page: one INSERT per whole view.

Seeds --size cases (default 100,000) and --log-rows access-log rows (default 200,000, so the
table's two indexes are not empty), then, on one open case of `frontline` (its owner, who sees
the customer's details whole), measured in-process with Django's test Client after 5
unmeasured warm-up requests:
- the case page 50 times as its owner, each writing its log row, in turns with the same page
  with the log's write switched off in this process (for the comparison only: the product
  always writes it);
- `relaydesk.privacy.log.record` alone, 500 times (each one INSERT, committed).
The added time is the difference of the two pages' medians, and the INSERT's own median.

    python -m bench.privacy_log
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench.privacy_log
"""

import argparse
import statistics
import time

from bench.lists import REALISTIC

DEFAULT_SIZE = 100_000
DEFAULT_LOG_ROWS = 200_000
REQUESTS = 50
WARM_UP = 5
INSERTS = 500


def fill_log(rows: int) -> None:
    """`rows` access-log rows spread over customers, staff and the last 60 days."""
    from datetime import timedelta

    from django.contrib.auth.models import User

    from relaydesk.cases.models import Customer
    from relaydesk.privacy.models import AccessLog
    from relaydesk.timekeeping import now

    people = list(User.objects.values_list("pk", flat=True))
    customers = list(Customer.objects.values_list("pk", flat=True)[:50_000])
    start = now() - timedelta(days=60)
    batch = []
    for n in range(rows):
        batch.append(
            AccessLog(
                who_id=people[n % len(people)],
                customer_id=customers[(n * 7919) % len(customers)],
                at=start + timedelta(seconds=n * 20),
                page="/cases/RD-1001/",
                ground="owner",
            )
        )
        if len(batch) == 10_000:
            AccessLog.objects.bulk_create(batch)
            batch = []
    AccessLog.objects.bulk_create(batch)


def time_inserts() -> list[float]:
    from django.contrib.auth.models import User

    from relaydesk.cases.models import Case
    from relaydesk.privacy.log import record

    case = Case.objects.select_related("customer").exclude(customer__email="").first()
    who = User.objects.get(username="frontline")
    seconds = []
    for _ in range(INSERTS):
        began = time.perf_counter()
        record(who=who, customer=case.customer, ground="owner", page="/bench/", case=case)
        seconds.append(time.perf_counter() - began)
    return seconds


def alternate(client, path: str) -> tuple[list[float], list[float]]:
    """The page timed with the log's write and without it, in turns (so whatever else the
    machine does weighs on both alike), after WARM_UP unmeasured requests of each."""
    from bench.lists import _timed
    from relaydesk.privacy import log

    real_record = log.record
    logged, unlogged = [], []
    try:
        for n in range(WARM_UP + REQUESTS):
            log.record = real_record
            with_log = _timed(client, path)
            log.record = lambda **kwargs: None  # the comparison only; restored below
            without = _timed(client, path)
            if n >= WARM_UP:
                logged.append(with_log)
                unlogged.append(without)
    finally:
        log.record = real_record
    return logged, unlogged


def measure(engine: str) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    from bench.report import heading, latency_line
    from relaydesk.cases.models import Case, Status
    from relaydesk.privacy.models import AccessLog

    heading(
        f"the access log on the case page, {engine}, {Case.objects.count():,} cases, "
        f"{AccessLog.objects.count():,} log rows"
    )
    owner = User.objects.get(username="frontline")
    case = Case.objects.filter(owner=owner, status=Status.OPEN).exclude(customer__email="")
    path = f"/cases/{case.first().ref}/"
    client = Client()
    client.force_login(owner)
    before = AccessLog.objects.count()
    logged, unlogged = alternate(client, path)
    written = AccessLog.objects.count() - before
    print(latency_line("case page as its owner, logged", logged))
    print(latency_line("case page as its owner, log write off", unlogged))
    inserts = time_inserts()
    print(latency_line("record(): one access-log INSERT", inserts))
    added = (statistics.median(logged) - statistics.median(unlogged)) * 1000
    print(
        f"added by the log: {added:+.2f} ms on the page's median "
        f"({added / (statistics.median(unlogged) * 1000):+.0%}); the INSERT alone "
        f"{statistics.median(inserts) * 1000:.2f} ms median; {written} rows for "
        f"{WARM_UP + REQUESTS} whole views",
        flush=True,
    )


def main() -> None:
    from bench.database import bench_database

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument("--log-rows", type=int, default=DEFAULT_LOG_ROWS)
    args = parser.parse_args()
    with bench_database() as engine:
        from bench.seed import seed

        seed(args.size, open_share=REALISTIC)
        fill_log(args.log_rows)
        measure(engine)


if __name__ == "__main__":
    main()
