"""The case index on PostgreSQL: full text (tsvector + GIN, ts_rank) with pg_trgm for typos.

Hand-written SQL because the ORM cannot create what this needs (trigger functions, a
generated tsvector column over an unmanaged table, a trigram index) nor query it as
relaydesk.problems.search does (tsquery built from lexemes, ts_headline with our own marks);
this module and relaydesk.problems.search.sqlite are the only places in the product that
write SQL by hand. Triggers made by problems 0003 keep the index in step with the case row
and its events, so no action imports search.

One row per case in problems_case_search: its texts, and `document`, a generated tsvector
('english' config: stemmed, stop words dropped) whose weights A-D are the classes of the
SQLite index's columns. problems_search_term holds every lexeme ever indexed, with a trigram
index, so a misspelt word finds the lexemes it may have meant.
"""

# Table and column names below are this module's constants, never input; values are bound.
# ruff: noqa: S608

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "problems_case_search"
TERMS = "problems_search_term"
COLUMNS = (
    ("subject", "A"),
    ("real_need", "A"),
    ("details", "B"),
    ("customer", "B"),
    ("resolution", "C"),
    ("replies", "D"),
)
_NAMES = ", ".join(name for name, _ in COLUMNS)
# ts_rank's weights, in its order {D, C, B, A}: the same proportions as SQLite's bm25 weights.
RANK_WEIGHTS = "{0.125, 0.375, 0.5, 1.0}"
DF_CAP = 5000  # document counts are counted up to this; more is "common"

# The customer's words: what they wrote, and a merged duplicate's words (cases.merging).
CUSTOMER_KINDS = "('customer_wrote', 'merged_from')"
REPLY_KINDS = "('replied')"
_DOCUMENT = " || ".join(
    f"setweight(to_tsvector('english', {name}), '{weight}')" for name, weight in COLUMNS
)
_WORDS = (
    "coalesce((SELECT string_agg(e.body, ' ' ORDER BY e.at, e.id) FROM cases_event e "
    "WHERE e.case_id = c.id AND e.kind IN {kinds} "
    "AND coalesce((e.data ->> 'automatic')::boolean, false) = false), '')"
)
_DETAILS = (
    "coalesce((SELECT string_agg(v #>> '{}', ' ') FROM jsonb_path_query(c.details, "
    "'strict $.** ? (@.type() == \"string\" || @.type() == \"number\")') v), '')"
)
_SELECT = (
    f"SELECT c.id, c.subject, c.real_need, {_DETAILS}, {_WORDS.format(kinds=CUSTOMER_KINDS)}, "
    f"c.resolution, {_WORDS.format(kinds=REPLY_KINDS)} FROM cases_case c"
)
_UPSERT = ", ".join(f"{name} = EXCLUDED.{name}" for name, _ in COLUMNS)
_CASE_CHANGED = " OR ".join(
    f"OLD.{name} IS DISTINCT FROM NEW.{name}"
    for name in ("subject", "real_need", "details", "resolution")
)
_KINDS = "('customer_wrote', 'merged_from', 'replied')"

INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""CREATE TABLE {TABLE} (
        case_id bigint PRIMARY KEY,
        {", ".join(f"{name} text NOT NULL DEFAULT ''" for name, _ in COLUMNS)},
        document tsvector GENERATED ALWAYS AS ({_DOCUMENT}) STORED
    )""",
    f"CREATE INDEX problems_case_search_document_idx ON {TABLE} USING gin (document)",
    f"CREATE TABLE {TERMS} (term text PRIMARY KEY)",
    f"CREATE INDEX problems_search_term_trgm_idx ON {TERMS} USING gin (term gin_trgm_ops)",
    f"""CREATE FUNCTION problems_search_refresh(target bigint) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {TABLE} (case_id, {_NAMES}) {_SELECT} WHERE c.id = target
        ON CONFLICT (case_id) DO UPDATE SET {_UPSERT};
        -- Sorted, so two writers adding the same new words never wait on each other in turn.
        INSERT INTO {TERMS} (term)
        SELECT unnest(tsvector_to_array(document)) FROM {TABLE} WHERE case_id = target
        ORDER BY 1 ON CONFLICT DO NOTHING;
    END $$""",
    """CREATE FUNCTION problems_search_case_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM problems_case_search WHERE case_id = OLD.id;
        ELSE
            PERFORM problems_search_refresh(NEW.id);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION problems_search_event_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM problems_search_refresh(CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id
                                             ELSE NEW.case_id END);
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION problems_search_cases_truncated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE problems_case_search;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER problems_search_case_insert AFTER INSERT OR DELETE ON cases_case "
    "FOR EACH ROW EXECUTE FUNCTION problems_search_case_changed()",
    "CREATE TRIGGER problems_search_case_update AFTER UPDATE ON cases_case "
    f"FOR EACH ROW WHEN ({_CASE_CHANGED}) EXECUTE FUNCTION problems_search_case_changed()",
    "CREATE TRIGGER problems_search_case_truncate AFTER TRUNCATE ON cases_case "
    "FOR EACH STATEMENT EXECUTE FUNCTION problems_search_cases_truncated()",
    "CREATE TRIGGER problems_search_event_insert AFTER INSERT ON cases_event "
    f"FOR EACH ROW WHEN (NEW.kind IN {_KINDS}) EXECUTE FUNCTION problems_search_event_changed()",
    # Events are append-only, except erasing a customer's words (DESIGN rule 15).
    "CREATE TRIGGER problems_search_event_update AFTER UPDATE ON cases_event "
    f"FOR EACH ROW WHEN (NEW.kind IN {_KINDS} OR OLD.kind IN {_KINDS}) "
    "EXECUTE FUNCTION problems_search_event_changed()",
    "CREATE TRIGGER problems_search_event_delete AFTER DELETE ON cases_event "
    f"FOR EACH ROW WHEN (OLD.kind IN {_KINDS}) EXECUTE FUNCTION problems_search_event_changed()",
]
UNINSTALL = [
    "DROP TRIGGER IF EXISTS problems_search_event_delete ON cases_event",
    "DROP TRIGGER IF EXISTS problems_search_event_update ON cases_event",
    "DROP TRIGGER IF EXISTS problems_search_event_insert ON cases_event",
    "DROP TRIGGER IF EXISTS problems_search_case_truncate ON cases_case",
    "DROP TRIGGER IF EXISTS problems_search_case_update ON cases_case",
    "DROP TRIGGER IF EXISTS problems_search_case_insert ON cases_case",
    "DROP FUNCTION IF EXISTS problems_search_cases_truncated()",
    "DROP FUNCTION IF EXISTS problems_search_event_changed()",
    "DROP FUNCTION IF EXISTS problems_search_case_changed()",
    "DROP FUNCTION IF EXISTS problems_search_refresh(bigint)",
    f"DROP TABLE IF EXISTS {TERMS}",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def _rows(sql: str, params: Sequence | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def stems(words: Sequence[str]) -> dict[str, str]:
    """Each word's lexeme as the 'english' config makes it ("" for a stop word)."""
    unique = sorted(set(words))
    if not unique:
        return {}
    rows = _rows(
        "SELECT w, coalesce((ts_lexize('english_stem', lower(w)))[1], '') "
        "FROM unnest(%s::text[]) AS w",
        [unique],
    )
    return dict(rows)


def texts(case_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """The indexed texts of these cases by weight class (A-D)."""
    if not case_ids:
        return {}
    found: dict[int, dict[str, str]] = {}
    for row in _rows(
        f"SELECT case_id, {_NAMES} FROM {TABLE} WHERE case_id = ANY(%s)", [list(case_ids)]
    ):
        classes: dict[str, str] = {}
        for (_, weight), text in zip(COLUMNS, row[1:], strict=True):
            classes[weight] = f"{classes.get(weight, '')} {text}"
        found[row[0]] = classes
    return found


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def doc_freq(
    terms: Sequence[str], *, words: Mapping[str, str] | None = None, cap: int = DF_CAP
) -> dict[str, int]:
    """How many cases hold each term, counted up to DF_CAP (more is as good as common). A
    term the planner's statistics already call common is not counted: a GIN index finds
    every case holding a term before LIMIT stops it (150 ms for a word in most of 1M cases)."""
    if not terms:
        return {}
    total = doc_count()
    shares = _common_shares()
    found = {t: cap for t in terms if shares.get(t, 0.0) * total >= cap}
    asked = [t for t in terms if t not in found]
    if not asked:
        return found
    rows = _rows(
        f"SELECT t, (SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE document @@ q "
        "LIMIT %s) AS s) FROM unnest(%s::text[], %s::tsquery[]) AS x(t, q)",
        [cap, asked, [_lexeme(term) for term in asked]],
    )
    return found | {term: count for term, count in rows if count}


STATS_KEPT = 600.0  # seconds the planner's common lexemes are kept in a process


@dataclass
class _Kept:
    at: float = -STATS_KEPT  # time.monotonic() when read
    shares: dict[str, float] = field(default_factory=dict)


_kept = _Kept()


def _common_shares() -> dict[str, float]:
    """The lexemes ANALYZE found in the most cases, with their shares of the cases
    (pg_stats' most common elements of the tsvector column; autovacuum refreshes them)."""
    if time.monotonic() - _kept.at < STATS_KEPT:
        return _kept.shares
    rows = _rows(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE schemaname = current_schema() AND tablename = %s AND attname = 'document'",
        [TABLE],
    )
    _kept.shares = dict(zip(rows[0][0] or [], rows[0][1] or [], strict=False)) if rows else {}
    _kept.at = time.monotonic()
    return _kept.shares


def doc_count() -> int:
    rows = _rows("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [TABLE])
    estimate = rows[0][0] if rows else -1
    if estimate < 10000:  # never analysed, or small enough to count
        return _rows(f"SELECT count(*) FROM {TABLE}")[0][0]
    return estimate


def vocabulary_near(term: str) -> list[tuple[str, int]]:
    """Indexed lexemes that look like `term` (trigram similarity), with their document
    counts: the ones a typo of `term` may have meant."""
    # Trigram similarity alone misses a swap in a short word ("refnud": 0.27 to "refund",
    # under pg_trgm's 0.3), so lexemes that begin as it does are asked for too (the trigram
    # index serves the LIKE as well).
    prefix = term[:2].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = _rows(
        f"SELECT term FROM {TERMS} WHERE (term %% %s OR term LIKE %s) AND term <> %s "
        "AND length(term) BETWEEN %s AND %s ORDER BY similarity(term, %s) DESC LIMIT 12",
        [term, prefix, term, len(term) - 2, len(term) + 2, term],
    )
    found = doc_freq([row[0] for row in rows])
    return [(row[0], found[row[0]]) for row in rows if row[0] in found]


def _tsquery(groups: Sequence[Sequence[str]], *, every: bool) -> str:
    joined = [" | ".join(_lexeme(term) for term in group) for group in groups if group]
    return f" {'&' if every else '|'} ".join(f"({part})" for part in joined)


def ranked(
    groups: Sequence[Sequence[str]],
    *,
    every: bool,
    limit: int,
    category_id: int | None = None,
    text: str | None = None,
    words: Mapping[str, str] | None = None,
    window: int | None = None,
    telling: Sequence[Sequence[str]] | None = None,
) -> list[tuple[int, float]]:
    """Cases matching the terms (each group: one term and its alternatives), best first by
    ts_rank. `every`: all groups must match, else any. `text`: the person's own words, read
    by websearch_to_tsquery ("quoted phrases", or, -not) instead of the groups. (`words` and
    `telling` are SQLite's: tsquery takes the lexemes as they are, and ts_rank's cost grows
    with the matches it reads, not with how common a term is.) `window`: rank only the
    newest this many matches."""
    params: list[Any]
    if text is not None:
        query, params = "websearch_to_tsquery('english', %s)", [text]
    else:
        expression = _tsquery(groups, every=every)
        if not expression:
            return []
        query, params = "%s::tsquery", [expression]
    where = ""
    if category_id is not None:
        where = " AND case_id IN (SELECT id FROM cases_case WHERE category_id = %s)"
        params.append(category_id)
    # Only the newest `window` matches are ranked (all of them without one): ts_rank reads
    # each match's document, and a common word matches a good share of a million cases.
    rows = _rows(
        f"WITH asked AS (SELECT {query} AS q), matching AS (SELECT case_id FROM {TABLE}, "
        f"asked WHERE document @@ q{where} ORDER BY case_id DESC LIMIT %s) "
        f"SELECT case_id, ts_rank(%s, document, q) AS score FROM {TABLE} "
        "JOIN matching USING (case_id), asked ORDER BY score DESC, case_id DESC LIMIT %s",
        [*params, window, RANK_WEIGHTS, limit],
    )
    return [(int(case_id), float(score)) for case_id, score in rows]


def holders(terms: Sequence[str], *, words: Mapping[str, str] | None = None) -> dict:
    """The cases holding each term, without ranking (ts_rank costs more than finding them)."""
    if not terms:
        return {}
    found: dict[str, list[int]] = {term: [] for term in terms}
    rows = _rows(
        f"SELECT x.t, s.case_id FROM unnest(%s::text[], %s::tsquery[]) AS x(t, q) "
        f"JOIN {TABLE} AS s ON s.document @@ x.q",
        [list(terms), [_lexeme(term) for term in terms]],
    )
    for term, case_id in rows:
        found[term].append(case_id)
    return found


def snippets(
    case_ids: Sequence[int],
    terms: Sequence[str],
    start: str,
    end: str,
    *,
    words: Mapping[str, str] | None = None,
) -> dict[int, str]:
    """A short piece of each case's text around the terms, each between start and end."""
    if not case_ids or not terms:
        return {}
    options = (
        f'StartSel="{start}", StopSel="{end}", MaxWords=24, MinWords=10, '
        'MaxFragments=2, FragmentDelimiter=" … "'
    )
    joined = " || ' ' || ".join(name for name, _ in COLUMNS)
    rows = _rows(
        f"SELECT case_id, ts_headline('english', {joined}, %s::tsquery, %s) FROM {TABLE} "
        "WHERE case_id = ANY(%s)",
        [_tsquery([terms], every=False), options, list(case_ids)],
    )
    return dict(rows)


def rebuild(
    progress: Callable[[int, int], None] | None = None,
    *,
    batch: int = 20000,
    using: BaseDatabaseWrapper | None = None,
) -> int:
    """Refill the index and its lexemes from the cases and their events, a batch at a time."""
    done = 0
    with (using or connection).cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM cases_case")
        low, high = cursor.fetchone()
        if not high:  # no cases: range(0, 1) would count one
            low, high = 1, 0
        cursor.execute(f"TRUNCATE {TABLE}, {TERMS}")
        for start in range(low, high + 1, batch):
            cursor.execute(
                f"INSERT INTO {TABLE} (case_id, {_NAMES}) {_SELECT} WHERE c.id >= %s AND c.id < %s",
                [start, start + batch],
            )
            cursor.execute(
                f"INSERT INTO {TERMS} (term) SELECT DISTINCT unnest(tsvector_to_array(document)) "
                f"FROM {TABLE} WHERE case_id >= %s AND case_id < %s ORDER BY 1 "
                "ON CONFLICT DO NOTHING",
                [start, start + batch],
            )
            done = min(high, start + batch - 1) - low + 1
            if progress is not None:
                progress(done, high - low + 1)
        cursor.execute(f"ANALYZE {TABLE}")
    return done


def ensure_installed(using: BaseDatabaseWrapper) -> bool:
    """Put back the index's triggers if any is missing (a bulk load that suspended them),
    then refill the index. Whether it had to."""
    with using.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [TABLE])
        if not cursor.fetchone()[0]:
            return False
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'problems\\_search\\_%%' "
            "AND NOT tgisinternal"
        )
        triggers = [s for s in INSTALL if s.startswith("CREATE TRIGGER")]
        if cursor.fetchone()[0] == len(triggers):
            return False
        suspend_triggers(using)
        for statement in triggers:
            cursor.execute(statement)
    rebuild(using=using)
    return True


def suspend_triggers(using: BaseDatabaseWrapper) -> None:
    """For bulk loads (bench.seed): no index upkeep per row; ensure_installed after it."""
    with using.cursor() as cursor:
        for statement in UNINSTALL:
            if statement.startswith("DROP TRIGGER"):
                cursor.execute(statement)
