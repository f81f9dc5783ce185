"""How good the similar-case finder is, on a labelled set of customers' own words.

    python -m bench.similar [--data FILE] [--show] [--scale N [--seed-cache] [--no-rebuild]]

Seeds a fresh database (bench.database) through the actions: for each root cause of the set
(bench/data/similar_cases.jsonl: 320 cases, 32 causes, six kinds of business, typos, hard
pairs), most of its cases are opened and solved with its problem; the rest (every third) are
opened and asked about. Prints, for the cases tuned on and the held-out causes apart:

- recall@5: a case of the same cause, or one linked to its problem, in similar_cases' top 5;
- hit@1: its problem first in similar_problems.

Goals on this set: recall@5 >= 0.85, hit@1 >= 0.70. `--scale N` then adds N bulk-seeded
cases (bench.seed, which refills the index once at the end), prints the same figures among
them, the p95 (wall clock and this process's CPU time, with the load average) of find_cases
(each question's subject), similar_cases, similar_problems and similar (both at once, as the
case page's section asks), and then how long rebuilding the whole index takes. `--seed-cache`
keeps the seeded database (bench.seed_cache) and restores it next time. None of this is a
test.
"""

import argparse
import json
import os
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path

from bench.database import analyze, bench_database

DATA = Path(__file__).parent / "data" / "similar_cases.jsonl"
RESOLUTION = "Put right for the customer and linked to the known problem."


def _first(row: dict, *keys: str, default: str = "") -> str:
    return next((str(row[key]) for key in keys if row.get(key) not in (None, "")), default)


def _opening(message: str) -> str:
    first = re.split(r"(?<=[.!?])\s|\n", message.strip(), maxsplit=1)[0]
    return first[:120] or "(no subject)"


def load(path: Path) -> list[dict]:
    """The set's rows, in the fields this bench reads. A set written elsewhere may name them
    differently (cause or root_cause or label; message or body or text), may have no
    category (then "other"), no problem title (then the cause) and no split (then "all")."""
    rows, seen = [], defaultdict(int)
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        cause = _first(raw, "cause", "root_cause", "cause_id", "label", "problem")
        seen[cause] += 1
        message = _first(raw, "message", "body", "text", "description", "words")
        rows.append(
            {
                "cause": cause,
                # No subject: the message's first sentence, as intake would take it.
                "subject": _first(raw, "subject", "title", default=_opening(message))[:300],
                "message": message,
                "category": _first(raw, "category", default="other"),
                "problem": _first(raw, "problem", "problem_title", default=cause)[:200],
                "split": _first(raw, "split", default="all"),
                "id": _first(raw, "id", default=f"{cause}-{seen[cause]:02d}"),
                "number": seen[cause],
            }
        )
    return rows


def is_question(row: dict) -> bool:
    """Every third case of a cause is asked about; the others are linked to its problem."""
    return row["number"] % 3 == 0


def seed_set(rows: list[dict]) -> tuple[dict[str, int], list[tuple[dict, object]]]:
    """Open every case through the actions; solve the linked ones with their cause's problem.
    The cause's problems by cause, and the questions with their cases."""
    from relaydesk.cases import actions
    from relaydesk.org.models import Category

    categories = {c.slug: c for c in Category.objects.prefetch_related("fields")}
    categories = defaultdict(lambda: categories["other"], categories)
    problems: dict[str, int] = {}
    questions = []
    for number, row in enumerate(rows):
        case = actions.open_case(
            customer_name=f"Customer {number}",
            customer_email=f"customer{number}@example.com",
            category=categories[row["category"]],
            subject=row["subject"],
            customer_message=row["message"],
            channel="web",
        )
        if is_question(row):
            questions.append((row, case))
            continue
        if row["cause"] in problems:
            solved = {"problem": problem_of(problems[row["cause"]])}
        else:
            solved = {"new_problem_title": row["problem"]}
        case = actions.solve(case, acting=case.owner, resolution=RESOLUTION, **solved)
        problems.setdefault(row["cause"], case.problem_id)
    return problems, questions


def problem_of(problem_id: int):
    from relaydesk.problems.models import Problem

    return Problem.objects.get(pk=problem_id)


def measure(problems: dict[str, int], questions: list, cause_of_case: dict, *, show: bool) -> None:
    from relaydesk.problems.search import similar_cases, similar_problems

    figures: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for row, case in questions:
        wanted = problems[row["cause"]]
        top = similar_cases(case, limit=5)
        recalled = any(
            s.problem_id == wanted or cause_of_case.get(s.case_id) == row["cause"] for s in top
        )
        best = similar_problems(case, limit=1)
        hit = bool(best) and best[0].problem_id == wanted
        figures[row["split"]].append((recalled, hit))
        if show and not (recalled and hit):
            print(
                f"  miss {row['id']:<32} recall={recalled!s:<5} hit@1={hit!s:<5} {row['subject']}"
            )
    for split in sorted(figures, key=lambda name: (name != "tune", name)):
        results = figures.get(split, [])
        if not results:
            continue
        recall = sum(r for r, _ in results) / len(results)
        hit = sum(h for _, h in results) / len(results)
        print(f"{split:>8}: {len(results)} questions  recall@5 {recall:.3f}  hit@1 {hit:.3f}")


def questions_in(rows: list[dict]) -> tuple[dict[str, int], list, dict[int, str | None]]:
    """The set as the database holds it (seeded now or restored from a seed cache): each
    cause's problem, the questions with their cases, and each case's cause. A row's case is
    the one whose customer is `customer<row number>@example.com`."""
    from relaydesk.cases.models import Case

    emails = [f"customer{number}@example.com" for number in range(len(rows))]
    cases = {
        case.customer.email: case
        for case in Case.objects.filter(customer__email__in=emails).select_related("customer")
    }
    problems: dict[str, int] = {}
    questions, causes = [], {}
    for number, row in enumerate(rows):
        case = cases[f"customer{number}@example.com"]
        causes[case.pk] = row["cause"]
        if is_question(row):
            questions.append((row, case))
        elif case.problem_id is not None:
            problems.setdefault(row["cause"], case.problem_id)
    return problems, questions, causes


def timed(call, arguments: list) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds (this process: on SQLite the database's work too) per call."""
    wall, cpu = [], []
    for argument in arguments:
        started, used = time.perf_counter(), time.process_time()
        call(argument)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return wall, cpu


def load_average() -> str:
    return ", ".join(f"{figure:.2f}" for figure in os.getloadavg())


def time_calls(questions: list) -> None:
    """p95 of find_cases (each question's subject), similar_cases, similar_problems and
    similar (both at once, as the case page's section asks) over the questions."""
    from bench.report import percentile
    from relaydesk.problems.search import find_cases, similar, similar_cases, similar_problems

    cases = [case for _, case in questions]
    words = [row["subject"] for row, _ in questions]
    calls = [
        ("find_cases", find_cases, words),
        ("similar_cases", similar_cases, cases),
        ("similar_problems", similar_problems, cases),
        ("similar (both)", similar, cases),
    ]
    for call in (find_cases, similar):  # warm: stems cached, pages read once
        for argument in (words if call is find_cases else cases)[:5]:
            call(argument)
    print(f"load average before: {load_average()} on {os.cpu_count()} CPUs")
    for name, call, arguments in calls:
        wall, cpu = timed(call, arguments)
        print(
            f"{name:<17} p95 {percentile(wall, 0.95) * 1000:7.1f} ms wall "
            f"(median {statistics.median(wall) * 1000:6.1f}), "
            f"p95 {percentile(cpu, 0.95) * 1000:7.1f} ms CPU of this process "
            f"over {len(arguments)}"
        )
    print(f"load average after: {load_average()}")


def rebuild_time() -> None:
    from django.db import transaction

    from relaydesk.problems.search import rebuild

    start = time.perf_counter()
    with transaction.atomic():
        indexed = rebuild()
    print(f"rebuild        {time.perf_counter() - start:7.1f} s for {indexed:,} case ids")


def seeded(rows: list[dict], size: int, *, cache_it: bool, quality: bool = False) -> None:
    """The labelled set plus `size` bulk-seeded cases (bench.seed), from the seed cache when
    asked and there (kept there after seeding); `quality`: measure on the set alone first."""
    from django.core.management import call_command

    from bench.seed import make_org, seed
    from bench.seed_cache import SeedCache
    from relaydesk.timekeeping import now

    cache = SeedCache("similar", str(size)) if cache_it else None
    if cache and cache.restore() is not None:
        call_command("migrate", verbosity=0)  # the cache predates any newer migration
        print(f"[bench] reused the cached seed (the set and {size:,} cases)", flush=True)
        return
    make_org()
    started = time.perf_counter()
    seed_set(rows)
    print(f"[bench] {len(rows)} cases of the set seeded in {time.perf_counter() - started:.1f} s")
    if quality:
        measure(*questions_in(rows), show=False)
    if size:
        started = time.perf_counter()
        seed(size, open_share=0.02, progress=True)
        spent = time.perf_counter() - started
        print(f"[bench] seeded and indexed {size:,} more cases in {spent:.0f} s")
    analyze()
    if cache:
        cache.save(now())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show", action="store_true", help="list the questions missed")
    parser.add_argument("--scale", type=int, default=0, help="then time search at this size")
    parser.add_argument(
        "--seed-cache", action="store_true", help="keep the seeded database and reuse it"
    )
    parser.add_argument("--no-rebuild", action="store_true", help="skip timing the rebuild")
    options = parser.parse_args()
    rows = load(options.data)
    with bench_database() as engine:
        print(f"[bench] {engine}")
        if not options.scale:
            seeded(rows, 0, cache_it=False)
            measure(*questions_in(rows), show=options.show)
            return
        seeded(rows, options.scale, cache_it=options.seed_cache, quality=not options.seed_cache)
        problems, questions, causes = questions_in(rows)
        print(f"quality among {options.scale:,} more cases:")
        measure(problems, questions, causes, show=options.show)
        time_calls(questions)
        if not options.no_rebuild:
            rebuild_time()


if __name__ == "__main__":
    main()
