"""Cases and problems like a case: its distinctive words asked of the index, then ranked.

Narrowing first, so a million cases cost little more than a thousand: of the case's most
telling terms (tf-idf, held by some other case, not everywhere) the rarest are asked for, as
long as the cases holding them add up to no more than POSTINGS; the cases holding most of
their weight (read from the index's posting lists, unranked) are the CANDIDATES. Those are
then scored here, the same on both engines: BM25 over the candidates' weighted terms, the
same category a little higher. A problem is scored on
its matching linked cases together (their words pooled), so a cause whose customers each
describe a different part of this case's symptoms still comes first.
"""

import heapq
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import NamedTuple

from relaydesk.cases.models import Case
from relaydesk.problems.search import analysis

QUERY_TERMS = 24  # the case's most telling terms, that score the candidates
POSTINGS = 3000  # the cases holding the terms asked for, at most (the rarest term always)
CANDIDATES = 100  # cases the index hands back for ranking
COMMON_SHARE = 0.2  # a term in more than this share of cases tells nothing
TYPO_LOOKUPS = 8  # a case's words only it holds, corrected as possible typos
SAME_CATEGORY = 1.15
K1, B = 1.2, 0.75
POOL_WEIGHT = 1.0  # pooled coverage against the best single case, in a problem's score


@dataclass
class Candidate:
    case_id: int
    problem_id: int | None
    category_id: int
    terms: Mapping[str, float]
    score: float = 0.0


@dataclass
class PooledProblem:
    problem_id: int
    score: float
    case_ids: list[int] = field(default_factory=list)


def _corrected(
    eng: ModuleType, query: "Query", candidates: list["Candidate"], doc_freq_of: dict[str, int]
) -> dict[str, float]:
    """A word only this case holds is likely a typo: it counts as the word it was meant to be,
    when one of the candidates holds that word (a typo never finds candidates by itself, so
    only their words can take its place; the index's vocabulary is not read)."""
    held: defaultdict[str, int] = defaultdict(int)
    for candidate in candidates:
        for term in candidate.terms:
            held[term] += 1
    weights = dict(query.weights)
    meant: dict[str, float] = {}
    for term, count in sorted(query.lonely.items(), key=lambda item: -item[1])[:TYPO_LOOKUPS]:
        near = [(t, n) for t, n in held.items() if t[:1] == term[:1]]
        found = analysis.corrections(term, near, at_least=1, most=1)
        if found:
            meant[found[0]] = meant.get(found[0], 0.0) + count * 0.8
    if not meant:
        return weights
    doc_freq = doc_freq_of | analysis.doc_freq(eng, [t for t in meant if t not in doc_freq_of], {})
    total = max(eng.doc_count(), 1)
    for term, extra in meant.items():
        if not doc_freq.get(term):
            continue
        count = query.counts.get(term, 0.0) + extra
        weights[term] = (1 + math.log(max(count, 1.0))) * analysis.idf(doc_freq[term], total)
    return weights


class Query(NamedTuple):
    weights: dict[str, float]  # the case's most telling terms
    surface: dict[str, str]  # a word for each term
    asked: list[str]  # the terms the index is asked for: the rarest, within the budget
    lonely: dict[str, float]  # words only this case holds (typos?) and their counts
    counts: dict[str, float]  # every term's count
    doc_freq: dict[str, int]


def _asked(weights: dict[str, float], doc_freq: dict[str, int]) -> list[str]:
    """The rarest terms first, until their cases add up to POSTINGS (at least one term): the
    index's work grows with the cases it ranks, so common terms only rescore candidates."""
    asked: list[str] = []
    postings = 0
    for term in sorted(weights, key=lambda t: (doc_freq[t], -weights[t])):
        if asked and postings + doc_freq[term] > POSTINGS:
            break
        asked.append(term)
        postings += doc_freq[term]
    return asked


def query_weights(eng: ModuleType, case: Case) -> Query:
    """The case's most telling terms and their weights, and the ones the index is asked for."""
    documents = eng.texts([case.pk])
    indexed = case.pk in documents
    if not indexed:  # not in the index (yet): its own row's words
        documents = {case.pk: {"A": f"{case.subject} {case.real_need}", "C": case.resolution}}
    terms = analysis.analyse(eng, documents)[case.pk]
    doc_freq = analysis.doc_freq(eng, list(terms.counts), terms.surface)
    total = max(eng.doc_count(), 1)
    least = 2 if indexed else 1  # held by at least one other case
    weights = {
        term: (1 + math.log(count)) * analysis.idf(doc_freq[term], total)
        for term, count in terms.counts.items()
        if count >= 1
        and doc_freq.get(term, 0) >= least
        and (total < 50 or doc_freq[term] <= COMMON_SHARE * total)
    }
    lonely = {
        t: c
        for t, c in terms.counts.items()
        if doc_freq.get(t, 0) <= 1 and analysis.allowed_edits(t)
    }
    best = {t: weights[t] for t in sorted(weights, key=lambda t: -weights[t])[:QUERY_TERMS]}
    return Query(best, terms.surface, _asked(best, doc_freq), lonely, terms.counts, doc_freq)


def _bm25(weights: dict[str, float], candidates: list[Candidate]) -> None:
    average = sum(sum(c.terms.values()) for c in candidates) / max(len(candidates), 1) or 1.0
    for candidate in candidates:
        norm = K1 * (1 - B + B * sum(candidate.terms.values()) / average)
        candidate.score = sum(
            weight * tf * (K1 + 1) / (tf + norm)
            for term, weight in weights.items()
            if (tf := candidate.terms.get(term, 0))
        )


def _ranked(eng: ModuleType, case: Case) -> tuple[dict[str, float], list[Candidate]]:
    query = query_weights(eng, case)
    if not query.weights:
        return query.weights, []
    overlap: defaultdict[int, float] = defaultdict(float)
    for term, holding in eng.holders(query.asked, words=query.surface).items():
        for pk in holding:
            overlap[pk] += query.weights[term]
    overlap.pop(case.pk, None)
    ids = heapq.nlargest(CANDIDATES, overlap, key=lambda pk: (overlap[pk], pk))
    rows = Case.objects.filter(pk__in=ids).values_list("pk", "problem_id", "category_id")
    analysed = analysis.analyse(eng, eng.texts(ids))
    candidates = [
        Candidate(pk, problem_id, category_id, analysed[pk].counts)
        for pk, problem_id, category_id in rows
        if pk in analysed
    ]
    weights = _corrected(eng, query, candidates, query.doc_freq)
    _bm25(weights, candidates)
    for candidate in candidates:
        if candidate.category_id == case.category_id:
            candidate.score *= SAME_CATEGORY
    candidates.sort(key=lambda c: (-c.score, -c.case_id))
    return weights, [c for c in candidates if c.score > 0]


def scored_candidates(eng: ModuleType, case: Case) -> list[Candidate]:
    return _ranked(eng, case)[1]


def pooled_problems(eng: ModuleType, case: Case) -> list[PooledProblem]:
    return _pooled(*_ranked(eng, case))


def cases_and_problems(eng: ModuleType, case: Case) -> tuple[list[Candidate], list[PooledProblem]]:
    """Both from one ranking (the case page's section shows both)."""
    weights, candidates = _ranked(eng, case)
    return candidates, _pooled(weights, candidates)


def _pooled(weights: dict[str, float], candidates: list[Candidate]) -> list[PooledProblem]:
    """Problems of the candidates, each scored on its cases together: the best one's score,
    plus how much of the case's weight their pooled words cover (a term met in n of them
    counts 1 - 1/2^n of its weight)."""
    members: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        if candidate.problem_id is not None:
            members[candidate.problem_id].append(candidate)
    whole = sum(weights.values()) or 1.0
    pooled = []
    for problem_id, cases in members.items():
        coverage = sum(
            weight * (1 - 0.5 ** sum(1 for c in cases if term in c.terms))
            for term, weight in weights.items()
        )
        best = cases[0].score
        score = (best + POOL_WEIGHT * coverage) / whole
        pooled.append(PooledProblem(problem_id, score, [c.case_id for c in cases]))
    pooled.sort(key=lambda p: (-p.score, p.problem_id))
    return pooled
