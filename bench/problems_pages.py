"""Server time of the problems pages and the problems API list (issue 17).

Seeds `--size` cases (bench.seed), opens `--problems` problems and links a share of the solved
cases to them as the actions would (Case.problem plus a `case_linked` ProblemEvent at the
solve; a few problems marked fixed, a few of those come back), with a skewed spread so the
ranking has a head and a tail. Then each page is requested 30 times in-process with Django's
test Client after 3 warm-up requests, and the median and p95 are printed:
- /problems/ (the ranking with every trend), signed in as a frontline person;
- /problems/<id>/ for the busiest problems;
- GET /api/v1/problems with a bearer token.

    python -m bench.problems_pages --size 100000
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
        python -m bench.problems_pages --size 100000
"""

import argparse
import random
import time
from datetime import timedelta

REQUESTS = 30
WARM_UP = 3


def link_cases(problems: int, share: float, rng: random.Random) -> int:
    """Link `share` of the solved cases to `problems` problems; return how many were linked."""
    from django.contrib.auth.models import User

    from relaydesk.cases.models import Case
    from relaydesk.problems.models import Problem, ProblemEvent, ProblemStatus
    from relaydesk.timekeeping import now

    author = User.objects.order_by("id").first()
    made = Problem.objects.bulk_create(
        Problem(title=f"Root cause {i}", created_at=now() - timedelta(days=90), created_by=author)
        for i in range(problems)
    )
    solved = list(
        Case.objects.filter(status__in=["solved", "closed"])
        .values_list("pk", "solved_at", "solved_by_id")
        .order_by("pk")
    )
    chosen = [row for row in solved if rng.random() < share]
    weights = [1 / (i + 1) for i in range(problems)]  # a long tail, as causes are
    picks = rng.choices(made, weights=weights, k=len(chosen))
    by_problem: dict[int, list[int]] = {}
    events = []
    for (case_id, solved_at, solver), problem in zip(chosen, picks, strict=True):
        by_problem.setdefault(problem.pk, []).append(case_id)
        events.append(
            ProblemEvent(
                problem=problem, kind="case_linked", at=solved_at, actor_id=solver, case_id=case_id
            )
        )
    for problem_id, case_ids in by_problem.items():
        for start in range(0, len(case_ids), 5000):
            Case.objects.filter(pk__in=case_ids[start : start + 5000]).update(problem=problem_id)
    ProblemEvent.objects.bulk_create(events, batch_size=5000)
    fixed = made[::7]
    Problem.objects.filter(pk__in=[p.pk for p in fixed]).update(
        status=ProblemStatus.FIXED, fixed_at=now() - timedelta(days=10), fixed_note="Fixed."
    )
    Problem.objects.filter(pk__in=[p.pk for p in fixed[::3]]).update(came_back_at=now())
    return len(chosen)


def _series(client, paths: list[str], headers: dict | None = None) -> list[float]:
    seconds = []
    for i, path in enumerate(paths):
        started = time.perf_counter()
        response = client.get(path, headers=headers or {})
        took = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
        if i >= WARM_UP:
            seconds.append(took)
    return seconds


def measure() -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    from bench.report import heading, latency_line
    from relaydesk.api.tokens import create_token
    from relaydesk.problems.queries import ranked_problems
    from relaydesk.timekeeping import now

    heading("problems pages")
    user = User.objects.filter(staff__tier__slug="frontline").order_by("id").first()
    client = Client()
    client.force_login(user)
    busiest = [row.problem.pk for row in ranked_problems(now(), limit=10)]
    runs = WARM_UP + REQUESTS
    print(latency_line("/problems/", _series(client, ["/problems/"] * runs)), flush=True)
    paths = [f"/problems/{busiest[i % len(busiest)]}/" for i in range(runs)]
    print(latency_line("/problems/<id>/ (the 10 busiest)", _series(client, paths)), flush=True)
    _, secret = create_token(user, name="bench")
    api = _series(Client(), ["/api/v1/problems"] * runs, {"Authorization": f"Bearer {secret}"})
    print(latency_line("GET /api/v1/problems", api), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--problems", type=int, default=300)
    parser.add_argument("--linked-share", type=float, default=0.6)
    args = parser.parse_args()

    from bench.database import analyze, bench_database

    with bench_database() as engine:
        from bench.seed import seed

        seed(args.size, open_share=0.02)
        started = time.perf_counter()
        linked = link_cases(args.problems, args.linked_share, random.Random(7))
        # Statistics, as a database that has run a while has them: right after a bulk load
        # PostgreSQL thinks a problem has one link and joins its cases by nested loop (1.7 s
        # instead of 8 ms for the busiest problem's page at 20,000 cases).
        analyze()
        took = time.perf_counter() - started
        print(
            f"{engine}: {args.size:,} cases, {linked:,} linked to {args.problems} problems "
            f"({took:.1f} s)",
            flush=True,
        )
        measure()


if __name__ == "__main__":
    main()
