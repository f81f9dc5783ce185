"""How good the similar-case finder is, on a labelled set of customers' own words.

    python -m bench.similar [--data FILE] [--show] [--scale N]

Seeds a fresh database (bench.database) through the actions: for each root cause of the set
(bench/data/similar_cases.jsonl: 320 cases, 32 causes, six kinds of business, typos, hard
pairs), most of its cases are opened and solved with its problem; the rest (every third) are
opened and asked about. Prints, for the cases tuned on and the held-out causes apart:

- recall@5: a case of the same cause, or one linked to its problem, in similar_cases' top 5;
- hit@1: its problem first in similar_problems.

Goals on this set: recall@5 >= 0.85, hit@1 >= 0.70. `--scale N` then adds N bulk-seeded
cases (bench.seed, which refills the index once at the end), prints the p95 of find_cases
(each question's subject) and similar_cases (each question) and then how long rebuilding the
whole index takes. None of this is a test.
"""

import argparse
import json
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


def measure(problems: dict[str, int], questions: list, cause_of_case: dict, show: bool) -> None:
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


def timed(call, arguments: list) -> float:
    spent = []
    for argument in arguments:
        start = time.perf_counter()
        call(argument)
        spent.append((time.perf_counter() - start) * 1000)
    return statistics.quantiles(spent, n=20)[-1] if len(spent) > 1 else spent[0]


def scale(size: int, questions: list) -> None:
    from django.db import transaction

    from bench.seed import seed
    from relaydesk.problems.search import find_cases, rebuild, similar_cases

    start = time.perf_counter()
    seed(size, open_share=0.02, progress=True)
    spent = time.perf_counter() - start
    print(f"[bench] seeded and indexed {size:,} more cases in {spent:.0f} s")
    analyze()
    cases = [case for _, case in questions]
    words = [row["subject"] for row, _ in questions]
    print(f"find_cases    p95 {timed(lambda q: find_cases(q), words):7.1f} ms over {len(words)}")
    print(f"similar_cases p95 {timed(lambda c: similar_cases(c), cases):7.1f} ms over {len(cases)}")
    start = time.perf_counter()
    with transaction.atomic():
        indexed = rebuild()
    print(f"rebuild        {time.perf_counter() - start:7.1f} s for {indexed:,} case ids")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show", action="store_true", help="list the questions missed")
    parser.add_argument("--scale", type=int, default=0, help="then time search at this size")
    options = parser.parse_args()
    rows = load(options.data)
    with bench_database() as engine:
        from bench.seed import make_org

        make_org()
        started = time.perf_counter()
        problems, questions = seed_set(rows)
        print(
            f"[bench] {engine}: {len(rows)} cases seeded in {time.perf_counter() - started:.1f} s"
        )
        case_causes = {}
        from relaydesk.cases.models import Case

        by_subject = {
            (r["subject"], f"customer{n}@example.com"): r["cause"] for n, r in enumerate(rows)
        }
        for pk, subject, email in Case.objects.values_list("pk", "subject", "customer__email"):
            case_causes[pk] = by_subject.get((subject, email))
        measure(problems, questions, case_causes, options.show)
        if options.scale:
            scale(options.scale, questions)


if __name__ == "__main__":
    main()
