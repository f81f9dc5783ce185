"""`python -m bench`: every benchmark on the database the environment picks, with one seeding.

The core benchmarks share one throwaway database: seed to 100,000 cases → open_case; seed on
to 1,000,000 → open_case and the page/API latencies. Then every other benchmark module in
bench/ (the clock's, the outbox's, mail's …) runs as its own `python -m bench.<name>`.

    python -m bench                        # SQLite (a temporary file)
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench
    python -m bench --sizes 100000 --only core
    python -m bench --only core --acknowledged --open-share 0.02   # a realistic history
"""

import argparse
import os
import pkgutil
import subprocess
import sys
import time
from pathlib import Path

CORE = {"open_case", "lists"}
NOT_BENCHMARKS = {"database", "seed", "report", "__main__"}


def other_benchmarks() -> list[str]:
    here = Path(__file__).parent
    names = [m.name for m in pkgutil.iter_modules([str(here)])]
    return sorted(n for n in names if n not in CORE | NOT_BENCHMARKS and not n.startswith("_"))


def run_core(
    sizes: list[int], count: int, *, acknowledged: bool = False, open_share: float = 0.3
) -> None:
    from bench.database import bench_database

    with bench_database() as engine:
        from bench import lists, open_case
        from bench.seed import seed
        from relaydesk.cases.models import Case

        print(f"[bench] {engine}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        for size in sizes:
            missing = size - Case.objects.count()
            if missing > 0:
                started = time.perf_counter()
                seed(missing, acknowledged=acknowledged, open_share=open_share)
                print(f"[bench] seeded to {size:,} cases in {time.perf_counter() - started:.0f} s")
            open_case.measure(count=count, engine=engine)
        lists.measure(engine=engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--count", type=int, default=2000, help="open_case calls per size")
    parser.add_argument("--only", choices=["core", "others"], default=None)
    parser.add_argument(
        "--acknowledged",
        action="store_true",
        help="seed each case with its acknowledgement event and mail (slower seeding)",
    )
    parser.add_argument(
        "--open-share", type=float, default=0.3, help="share of seeded cases still open"
    )
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if args.only != "others":
        run_core(sizes, args.count, acknowledged=args.acknowledged, open_share=args.open_share)
    if args.only != "core":
        for name in other_benchmarks():
            print(f"\n[bench] python -m bench.{name}", flush=True)
            subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False)


if __name__ == "__main__":
    main()
