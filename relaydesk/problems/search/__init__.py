"""Search over cases' words, and the similar-case finder: the one interface to the index.

The index (one per engine: relaydesk.problems.search.sqlite on SQLite, FTS5 and bm25;
relaydesk.problems.search.postgres on PostgreSQL, tsvector, ts_rank and pg_trgm) covers each
case's subject, real need, details, the customer's messages, our replies and the resolution.
The database keeps it in step (triggers made by problems 0003); `rebuild` refills it.

- `find_cases(query)`: the cases whose words match, best first, each with a snippet: plain
  text and the (start, end) spans of its matched words (`Hit.marks`). Show it with
  `highlight_marks(hit.snippet, hit.marks)`, which escapes the text and wraps the spans in
  <mark>. Misspelt words are corrected against the words the index holds.
- `similar_cases(case)`: earlier cases like this one, best first, each with its problem.
- `similar_problems(case)`: the problems whose linked cases, their words pooled, look most
  like this case.
- `similar(case)`: both at once, for the price of one (the case page shows both).
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import NamedTuple

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from relaydesk.cases.models import Case, ref_for
from relaydesk.problems.search import analysis, postgres, sqlite
from relaydesk.problems.search.marks import END, START, Marks, highlight_marks, split_marks
from relaydesk.problems.search.similarity import (
    Candidate,
    PooledProblem,
    cases_and_problems,
    pooled_problems,
    scored_candidates,
)

__all__ = [
    "Hit",
    "ensure_installed",
    "ProblemMatch",
    "Similar",
    "find_cases",
    "highlight_marks",
    "rebuild",
    "similar",
    "similar_cases",
    "similar_problems",
    "suspend_triggers",
]

MAX_QUERY_WORDS = 32
# find_cases ranks the newest this many matches of a query: staff look for recent cases, and
# ranking every case that holds a common word costs time in proportion to them.
WINDOW = 2000


@dataclass(frozen=True)
class Hit:
    case_id: int
    score: float
    snippet: str  # plain text: escape it, then mark `marks` (highlight_marks does both)
    marks: Marks = ()


@dataclass(frozen=True)
class Similar:
    case_id: int
    ref: str
    score: float
    problem_id: int | None


class ProblemMatch(NamedTuple):
    problem_id: int
    score: float
    case_ids: list[int]  # its linked cases that matched, best first


def engine() -> ModuleType:
    return postgres if connection.vendor == "postgresql" else sqlite


class QueryGroups(NamedTuple):
    groups: list[list[str]]  # each term of the query, with what it may be a typo of
    surface: dict[str, str]  # a word for each term (SQLite queries with words)
    corrected: bool  # whether any word was corrected
    telling: list[list[str]]  # the groups whose terms are not common: they rank


def _query_groups(eng: ModuleType, query: str) -> QueryGroups:
    """The query's terms, each with the terms it may be a typo of when the index lacks it."""
    terms = analysis.analyse(eng, {0: {"A": " ".join(analysis.words(query)[:MAX_QUERY_WORDS])}})
    found = terms[0]
    held = analysis.doc_freq(eng, list(found.counts), found.surface)
    groups, corrected = [], False
    for term in found.counts:
        if held.get(term):
            groups.append([term])
            continue
        alternatives = analysis.corrections(term, eng.vocabulary_near(term))
        corrected = corrected or bool(alternatives)
        if alternatives:
            groups.append(alternatives)
    telling = [g for g in groups if all(held.get(t, 0) < eng.DF_CAP for t in g)]
    return QueryGroups(groups, found.surface, corrected, telling)


def find_cases(query: str, *, limit: int = 20, category_id: int | None = None) -> list[Hit]:
    """Cases whose words match every word of `query` (or, if none does, any), best first."""
    eng = engine()
    groups, surface, corrected, telling = _query_groups(eng, query)
    if not groups:
        return []
    text = query if eng is postgres and not corrected else None
    common = {
        "limit": limit,
        "category_id": category_id,
        "words": surface,
        "window": WINDOW,
        "telling": None if telling == groups else telling,  # all tell: plain ranking
    }
    ranked = eng.ranked(groups, every=True, text=text, **common)
    if not ranked:
        ranked = eng.ranked(groups, every=False, **common)
    existing = set(
        Case.objects.filter(pk__in=[pk for pk, _ in ranked]).values_list("pk", flat=True)
    )
    ranked = [(pk, score) for pk, score in ranked if pk in existing]
    words = [term for group in groups for term in group]
    snippets = eng.snippets([pk for pk, _ in ranked], words, START, END, words=surface)
    hits = []
    for pk, score in ranked:
        snippet, marks = split_marks(snippets.get(pk, ""))
        hits.append(Hit(case_id=pk, score=round(score, 6), snippet=snippet, marks=marks))
    return hits


def _similar(candidates: list[Candidate], limit: int) -> list[Similar]:
    return [
        Similar(
            case_id=c.case_id,
            ref=ref_for(c.case_id),
            score=round(c.score, 4),
            problem_id=c.problem_id,
        )
        for c in candidates[:limit]
    ]


def _problems(pooled: list[PooledProblem], limit: int) -> list[ProblemMatch]:
    return [ProblemMatch(p.problem_id, round(p.score, 4), p.case_ids) for p in pooled[:limit]]


def similar_cases(case: Case, *, limit: int = 10) -> list[Similar]:
    """Other cases like `case`, best first (the same category counts a little more)."""
    return _similar(scored_candidates(engine(), case), limit)


def similar_problems(case: Case, *, limit: int = 5) -> list[ProblemMatch]:
    """Problems like `case`, scored on their matching linked cases' words pooled together."""
    return _problems(pooled_problems(engine(), case), limit)


def similar(
    case: Case, *, cases: int = 10, problems: int = 5
) -> tuple[list[Similar], list[ProblemMatch]]:
    """similar_cases and similar_problems from one search (each alone would search again)."""
    candidates, pooled = cases_and_problems(engine(), case)
    return _similar(candidates, cases), _problems(pooled, problems)


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Refill the index from every case and its events; `progress(done, total)` per batch."""
    return engine().rebuild(progress)


def ensure_installed(using: BaseDatabaseWrapper) -> bool:
    """After migrating: the index's triggers are all there (a later migration that remade a
    cases table on SQLite dropped its triggers; they are put back and the index refilled)."""
    eng = postgres if using.vendor == "postgresql" else sqlite
    return eng.ensure_installed(using)


def suspend_triggers(using: BaseDatabaseWrapper) -> None:
    """A bulk load (bench.seed) writes rows faster without the index kept per row: suspend
    the triggers, load, then ensure_installed puts them back and refills the index at once."""
    eng = postgres if using.vendor == "postgresql" else sqlite
    eng.suspend_triggers(using)
