"""Server time of the staff pages and the API case list, at 1M cases (goal: p95 ≤ 50 ms).

Each page is requested 50 times in-process with Django's test Client (the full middleware,
view, queries and template; no network), after 5 unmeasured warm-up requests:
- "My cases" (/) for `frontline`, who owns 1/25 of all cases (40k at 1M, 30% open);
- the queue (/queue/) for `manager` (every open case at manager level and below: the widest);
- a case page (/cases/<ref>/): 50 different cases of `frontline`, with their timelines;
- people (/people/): everyone with their open-case count;
- the API's first page of GET /api/v1/cases, with a bearer token, and the same filtered to
  the caller's own open cases (?owner=frontline&status=open).

    python -m bench.lists                      # SQLite, 1M cases
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench.lists
    python -m bench.lists --size 100000
    python -m bench.lists --open-share 0.02     # a realistic backlog instead of a heavy one
"""

import argparse
import random
import time

DEFAULT_SIZE = 1_000_000
REQUESTS = 50
WARM_UP = 5
GOAL_MS = 50.0


class SqlClock:
    """Sums the time and count of the SQL statements run inside it (connection wrapper)."""

    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def _timed(client, path: str, headers: dict | None = None, sql: SqlClock | None = None) -> float:
    from django.db import connection

    started, cpu = time.perf_counter(), time.process_time()
    if sql is None:
        response = client.get(path, headers=headers or {})
    else:
        with connection.execute_wrapper(sql):
            response = client.get(path, headers=headers or {})
    seconds = time.perf_counter() - started
    CPU.append(time.process_time() - cpu)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return seconds


def _series(client, paths: list[str], headers: dict | None = None) -> list[float]:
    """Warm up, time REQUESTS requests, then one more request to see its SQL share."""
    for path in paths[:WARM_UP]:
        _timed(client, path, headers)
    CPU.clear()
    seconds = [_timed(client, path, headers) for path in paths[WARM_UP:]]
    cpu = sorted(CPU)
    sql = SqlClock()
    total = _timed(client, paths[-1], headers, sql)
    SQL_SHARE[id(seconds)] = (
        f"    CPU of this process: median {cpu[len(cpu) // 2] * 1000:.1f} ms, p95 "
        f"{cpu[int(len(cpu) * 0.95) - 1] * 1000:.1f} ms; {sql.queries} queries, "
        f"{sql.seconds * 1000:.1f} ms of SQL in a {total * 1000:.1f} ms request"
    )
    return seconds


SQL_SHARE: dict[int, str] = {}
# CPU seconds of this process per request: on SQLite (in-process) the idle-machine latency.
CPU: list[float] = []


def _print(label: str, seconds: list[float]) -> None:
    from bench.report import latency_line

    print(latency_line(label, seconds))
    print(SQL_SHARE.pop(id(seconds), ""), flush=True)


def measure(*, engine: str = "") -> dict[str, list[float]]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from bench.report import heading, percentile
    from relaydesk.cases.models import Case, ref_for

    total = Case.objects.count()
    heading(f"page and API latency on {engine or connection.vendor} with {total:,} cases")
    frontline = User.objects.get(username="frontline")
    manager = User.objects.get(username="manager")
    rng = random.Random(7)
    own_ids = list(Case.objects.filter(owner=frontline).values_list("id", flat=True)[:5000])
    case_paths = [f"/cases/{ref_for(pk)}/" for pk in rng.sample(own_ids, REQUESTS + WARM_UP)]

    results: dict[str, list[float]] = {}
    pages = [
        ("My cases  GET /", frontline, ["/"] * (REQUESTS + WARM_UP)),
        ("queue  GET /queue/ (manager)", manager, ["/queue/"] * (REQUESTS + WARM_UP)),
        ("case page  GET /cases/<ref>/", frontline, case_paths),
        ("people  GET /people/", frontline, ["/people/"] * (REQUESTS + WARM_UP)),
    ]
    for label, user, paths in pages:
        try:
            reverse("my-cases")
        except NoReverseMatch:
            print(f"{label:<44} not built yet")
            continue
        client = Client()
        client.force_login(user)
        results[label] = _series(client, paths)
        _print(label, results[label])

    try:
        from relaydesk.api.tokens import create_token
    except ImportError:
        print("API tokens are not built yet: API list skipped")
    else:
        _, secret = create_token(frontline, name="bench")
        bearer = {"Authorization": f"Bearer {secret}"}
        client = Client()
        for label, path in (
            ("API  GET /api/v1/cases", "/api/v1/cases"),
            (
                "API  GET /api/v1/cases?owner=&status=open",
                "/api/v1/cases?owner=frontline&status=open",
            ),
        ):
            results[label] = _series(client, [path] * (REQUESTS + WARM_UP), bearer)
            _print(label, results[label])

    missed = [
        label for label, seconds in results.items() if percentile(seconds, 0.95) * 1000 > GOAL_MS
    ]
    if missed:
        print(f"MISSES the goal (p95 ≤ {GOAL_MS:.0f} ms): {', '.join(missed)}")
    else:
        print(f"every list meets the goal (p95 ≤ {GOAL_MS:.0f} ms)")
    return results


def main() -> None:
    from bench.database import bench_database

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument(
        "--open-share",
        type=float,
        default=0.3,
        help="share of the cases still open (0.3: a heavy backlog of 12k open cases a person "
        "at 1M; 0.02: 800 a person)",
    )
    args = parser.parse_args()
    with bench_database() as engine:
        from bench.seed import seed

        seed(args.size, open_share=args.open_share)
        measure(engine=engine)


if __name__ == "__main__":
    main()
