"""Server time of the pages about one case at 1M cases: the customer's status page and the
staff case page with a long conversation.

The goals (docs/performance.md): the status page p95 ≤ 30 ms; the staff case page with a
200-message conversation p95 ≤ 50 ms. Measured in-process with Django's test Client (the full
middleware, view, queries and template; no network), after 5 unmeasured warm-up requests:
- the status page: for 55 different open cases a status link is issued
  (relaydesk.cases.status_links, as the acknowledgement does) and exchanged once for a session
  (GET /status/<token>, untimed); then the clean URL (/status/case/<ref>/) is requested once
  per case, 50 of them timed;
- the staff case page (/cases/<ref>/) of one open case whose conversation has 200 messages
  (the customer's words, replies and internal notes in turn, added through the actions), 50
  times as its owner.

    python -m bench.customer_pages                      # SQLite, 1M cases
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
        python -m bench.customer_pages
    python -m bench.customer_pages --size 100000
    python -m bench.customer_pages --seed-cache --rounds 3  # keep the seed; measure 3 times

--seed-cache keeps the seeded database (a SQLite file in the temp folder, or a PostgreSQL
template database) and reuses it on the next run of the same --size.
"""

import argparse
import random

from bench.lists import REALISTIC, _print, _series

DEFAULT_SIZE = 1_000_000
REQUESTS = 50
WARM_UP = 5
STATUS_GOAL_MS = 30.0
CASE_PAGE_GOAL_MS = 50.0
CONVERSATION = 200


def status_visits() -> list[tuple]:
    """(client, clean URL) for 55 open cases: a link issued for each and exchanged once for a
    session of its own (a session remembers its last 20 cases, as one customer's would)."""
    from django.db import transaction
    from django.test import Client

    from relaydesk.cases import status_links
    from relaydesk.cases.models import Case, Status
    from relaydesk.org.addresses import base_url
    from relaydesk.timekeeping import now

    open_ids = list(Case.objects.filter(status=Status.OPEN).values_list("id", flat=True)[:20000])
    visits = []
    for case_id in random.Random(11).sample(open_ids, REQUESTS + WARM_UP):
        with transaction.atomic():
            url = status_links.url_for(status_links.issue(Case(pk=case_id), now()))
        client = Client()
        answer = client.get(url.removeprefix(base_url()))
        if answer.status_code != 302:
            raise RuntimeError(f"exchanging a status link answered {answer.status_code}")
        visits.append((client, answer["Location"]))
    return visits


def long_conversation(owner) -> str:
    """The ref of an open case of `owner` with CONVERSATION messages added by the actions."""
    from relaydesk.cases import actions
    from relaydesk.cases.models import Case, Status

    case = Case.objects.filter(owner=owner, status=Status.OPEN).exclude(customer__email="").first()
    if case is None:
        raise RuntimeError("no open case of frontline with a customer email")
    for n in range(CONVERSATION):
        case.refresh_from_db()
        if n % 3 == 0:
            actions.customer_wrote(case, body=f"Message {n} from the customer: any news?")
        elif n % 3 == 1:
            words = f"Reply {n}: we are looking into it and will write again soon."
            actions.reply(case, acting=owner, body=words, send_anyway=True)
        else:
            actions.add_note(case, acting=owner, body=f"Note {n}: asked billing for the refund.")
    return case.ref


def measure(*, engine: str = "", rounds: int = 1) -> dict[str, list[float]]:
    """Time both pages `rounds` times (each round printed with the load average at its end),
    judging the last round."""
    import os

    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from bench.lists import _timed
    from bench.report import heading, latency_line, percentile
    from relaydesk.cases.models import Case

    heading(f"customer pages on {engine or connection.vendor} with {Case.objects.count():,} cases")
    results: dict[str, list[float]] = {}
    visits = status_visits()
    frontline = User.objects.get(username="frontline")
    ref = long_conversation(frontline)
    client = Client()
    client.force_login(frontline)
    status_label = "status page  GET /status/case/<ref>/"
    case_label = f"case page, {CONVERSATION} messages  GET /cases/<ref>/"
    for round_ in range(1, rounds + 1):
        for visitor, path in visits[:WARM_UP]:
            _timed(visitor, path)
        results[status_label] = [_timed(visitor, path) for visitor, path in visits[WARM_UP:]]
        print(latency_line(status_label, results[status_label]), flush=True)
        results[case_label] = _series(client, [f"/cases/{ref}/"] * (REQUESTS + WARM_UP))
        _print(case_label, results[case_label])
        load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
        print(f"    round {round_} of {rounds}; load average {load} on {os.cpu_count()} CPUs")

    goals = dict(zip(results, (STATUS_GOAL_MS, CASE_PAGE_GOAL_MS), strict=True))
    for label, seconds in results.items():
        p95 = percentile(seconds, 0.95) * 1000
        verdict = "meets" if p95 <= goals[label] else "MISSES"
        print(f"{label}: p95 {p95:.1f} ms {verdict} the goal (p95 ≤ {goals[label]:.0f} ms)")
    return results


def main() -> None:
    from bench.database import bench_database

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument(
        "--seed-cache", action="store_true", help="keep the seeded database and reuse it"
    )
    parser.add_argument("--rounds", type=int, default=1, help="measure this many times")
    args = parser.parse_args()
    with bench_database() as engine:
        from django.core.management import call_command

        from bench.seed import seed
        from bench.seed_cache import SeedCache
        from relaydesk.timekeeping import now

        cache = SeedCache("customer_pages", str(args.size)) if args.seed_cache else None
        if cache and cache.restore() is not None:
            call_command("migrate", verbosity=0)  # the cache predates any newer migration
            print("[bench] reused the cached seed", flush=True)
        else:
            seed(args.size, open_share=REALISTIC)
            if cache:
                cache.save(now())
        measure(engine=engine, rounds=args.rounds)


if __name__ == "__main__":
    main()
