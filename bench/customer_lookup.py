"""The customer half of "find anything" (the header search and intake's lookup) among many
customers: by part of a name, a name's start, a whole address and a phone's last digits.

    python -m bench.customer_lookup [--customers N] [--runs N]

Goal (issue 17): search p95 ≤ 100 ms at 1M cases (about 250k customers).
"""

import argparse
import random
import time

from bench.database import bench_database
from bench.report import heading, latency_line

FIRST = [
    "Anna",
    "Bram",
    "Chloé",
    "Dmitri",
    "Eva",
    "Farah",
    "Gijs",
    "Hana",
    "Ivo",
    "Jun",
    "Kees",
    "Lotte",
    "Mila",
    "Noor",
    "Omar",
    "Pia",
]
LAST = [
    "de Vries",
    "Jansen",
    "Nowak",
    "O'Brien",
    "Müller",
    "Okafor",
    "Rossi",
    "Silva",
    "Tanaka",
    "Visser",
    "Yılmaz",
    "Zhang",
]


def _seed(count: int) -> None:
    from django.utils import timezone
    from rich.progress import track

    from relaydesk.cases.models import Customer, phone_key

    rng = random.Random(7)
    now = timezone.now()
    batch: list[Customer] = []
    for number in track(range(count), description="customers"):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}{number % 997 or ''}"
        phone = f"+31 6 {rng.randrange(10**8):08d}"
        # bulk_create skips Customer.save(), which keeps phone_key: set here as save() would.
        key = phone_key(phone)
        batch.append(
            Customer(
                name=name,
                email=f"c{number}@example.com",
                phone=phone,
                phone_key=key,
                created_at=now,
            )
        )
        if len(batch) == 5000:
            Customer.objects.bulk_create(batch)
            batch = []
    Customer.objects.bulk_create(batch)


def _timed(queries: list[str], *, name_anywhere: bool, must_find: bool, runs: int) -> list[float]:
    from relaydesk.web.intake_lookup import customers_matching

    seconds, slowest = [], {}
    for _ in range(runs):
        for query in queries:
            started = time.perf_counter()
            found = customers_matching(query, limit=20, name_anywhere=name_anywhere)
            seconds.append(time.perf_counter() - started)
            if must_find and not found:
                raise SystemExit(f"{query!r} found nobody: the lookup is broken, not fast")
            slowest[query] = max(slowest.get(query, 0.0), seconds[-1])
    print(
        "   slowest run per query: "
        + ", ".join(f"{q!r} {s * 1000:.0f} ms" for q, s in slowest.items())
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=250_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with bench_database() as engine:
        _seed(args.customers)
        from relaydesk.cases.models import Customer

        phones = list(Customer.objects.order_by("?").values_list("phone", flat=True)[:10])
        heading(f"customer lookup among {args.customers:,} customers ({engine})")
        kinds = {
            "part of a name (header)": (
                ["nowak12", "jun", "chlo", "rossi5", "zz", "müller 9"],
                True,
                False,
            ),
            "a name's start (intake)": (["anna", "omar ok", "pia s", "kees", "xq"], False, False),
            "a whole address": (
                [f"c{n}@example.com" for n in (1, 77, 9000, 12345, 7)],
                True,
                True,
            ),
            "a phone's last 6+ digits": ([p[-7:] for p in phones[:5]], True, True),
        }
        for label, (queries, anywhere, must_find) in kinds.items():
            seconds = _timed(queries, name_anywhere=anywhere, must_find=must_find, runs=args.runs)
            print(latency_line(label, seconds))
        with open("/proc/loadavg") as loadavg:
            print(f"load       {' '.join(loadavg.read().split()[:3])} (1, 5, 15 min)")


if __name__ == "__main__":
    main()
