"""The trail's pages' speed: the month page of a closed month (kept once computed) ≤ 300 ms,
of the current month ≤ 1.5 s, one person's career ≤ 100 ms; the other trail pages printed.

    python -m bench.trail_pages [--history N] [--month-cases N] [--runs N]
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench.trail_pages

The history and the month (2026-11, Amsterdam) are seeded as bench.trail seeds them (a
smaller scale by default, so it runs in minutes). Pages are asked for in-process through
Django's test Client (middleware, view, queries, template; no network), signed in as the
executive, after one unmeasured request each:
- the closed month: the first request computes and keeps it (printed), then `--runs` kept;
- the current month: the clock moved to 30 November (time_machine), so November is the month
  in progress and every request computes it again, as it does in production;
- the career of the person who acted most in the month (its deadlines missed are escalations
  away from the person over twelve months, served by the partial index
  event_escalated_from_idx), their month, the buck, the delighted customers and the
  executive's scorecard.
"""

import argparse
import time
from datetime import UTC, datetime

from bench.report import heading, latency_line, percentile

MONTH = "2026-11"
IN_NOVEMBER = datetime(2026, 11, 30, 12, tzinfo=UTC)


def _get(client, path: str) -> float:
    began = time.perf_counter()
    response = client.get(path)
    seconds = time.perf_counter() - began
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return seconds


def _series(client, path: str, runs: int) -> list[float]:
    _get(client, path)  # warm up (and, for a closed month, compute and keep it)
    return [_get(client, path) for _ in range(runs)]


def _line(label: str, seconds: list[float], goal_ms: float | None = None) -> None:
    goal = ""
    if goal_ms is not None:
        p95 = percentile(seconds, 0.95) * 1000
        goal = f"   goal p95 ≤ {goal_ms:,.0f} ms: {'met' if p95 <= goal_ms else 'MISSED'}"
    print(latency_line(label, seconds) + goal, flush=True)


def _busiest(month) -> str:
    from django.contrib.auth.models import User
    from django.db.models import Count

    from relaydesk.cases.models import Event

    row = (
        Event.objects.filter(at__gte=month.start_utc, at__lt=month.end_utc, actor__isnull=False)
        .values("actor")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return User.objects.get(pk=row["actor"]).username if row else "frontline"


def measure(runs: int) -> None:
    import time_machine
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.test import Client

    from relaydesk.cases.models import Case, Event
    from relaydesk.insights.months import parse_month

    month = parse_month(MONTH, "Europe/Amsterdam")
    in_month = Event.objects.filter(at__gte=month.start_utc, at__lt=month.end_utc).count()
    print(
        f"history: {Case.objects.count():,} cases, {Event.objects.count():,} events; "
        f"{MONTH}: {in_month:,} events"
    )
    client = Client()
    client.force_login(User.objects.get(username="executive"))
    cache.clear()
    began = time.perf_counter()
    _get(client, f"/trail/{MONTH}/")
    print(f"closed month, first request (computed, then kept): {time.perf_counter() - began:.3f} s")
    _line(
        f"closed month, kept  GET /trail/{MONTH}/", _series(client, f"/trail/{MONTH}/", runs), 300
    )
    person = _busiest(month)
    _line(
        f"career  GET /people/{person}/career/",
        _series(client, f"/people/{person}/career/", runs),
        100,
    )
    for label, path in [
        ("the buck", f"/trail/{MONTH}/buck/"),
        ("the delighted", f"/trail/{MONTH}/delighted/"),
        ("executive's scorecard", f"/trail/{MONTH}/executives/"),
        (f"{person}'s month", f"/trail/{MONTH}/people/{person}/"),
    ]:
        _line(f"{label}  GET {path}", _series(client, path, max(3, runs // 4)))
    with time_machine.travel(IN_NOVEMBER, tick=True):
        cache.clear()
        _line(
            f"current month (computed)  GET /trail/{MONTH}/",
            _series(client, f"/trail/{MONTH}/", max(3, runs // 4)),
            1500,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--history", type=int, default=90_000, help="cases before the month")
    parser.add_argument("--month-cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from bench.database import bench_database

    with bench_database() as engine:
        from bench.trail import seed_month

        seed_month(args.history, args.month_cases)
        heading(f"the trail's pages, {MONTH}, on {engine}")
        measure(args.runs)


if __name__ == "__main__":
    main()
