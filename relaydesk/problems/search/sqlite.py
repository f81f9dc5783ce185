"""The case index on SQLite: an FTS5 table ranked by bm25.

Hand-written SQL because the ORM cannot express FTS5 (virtual tables, MATCH, bm25, snippet,
fts5vocab) or triggers; this module and relaydesk.problems.search.postgres are the only places
in the product that write SQL by hand. Triggers made by problems 0003 keep the index in step
with the case row and its events, so no action imports search.

One FTS5 row per case, rowid = case id. Its columns and their weights (subject and real need
count most, our replies least) are in COLUMNS. The porter tokenizer stems ("charged" and
"charging" both index as "charg"); typos are corrected against the index's own vocabulary
(fts5vocab) before a query runs.
"""

# Table and column names below are this module's constants, never input; values are bound.
# ruff: noqa: S608

import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "problems_case_search"
VOCAB = "problems_case_search_vocab"
TOKENIZE = "porter unicode61 remove_diacritics 2"
# (column, weight class): the weight classes are shared with the PostgreSQL index (A-D).
COLUMNS = (
    ("subject", "A"),
    ("real_need", "A"),
    ("details", "B"),
    ("customer", "B"),
    ("resolution", "C"),
    ("replies", "D"),
)
BM25_WEIGHTS = {"A": 4.0, "B": 2.0, "C": 1.5, "D": 0.5}
DF_CAP = 5000  # document counts are counted up to this; more is "common"
COUNTED_AT_ONCE = 100  # terms counted in one statement (SQLite takes 500 SELECTs in one)
# The customer's words: what they wrote, and a merged duplicate's words (cases.merging).
CUSTOMER_KINDS = "('customer_wrote', 'merged_from')"
REPLY_KINDS = "('replied')"
_EVENT_KINDS = "('customer_wrote', 'merged_from', 'replied')"

# The texts of one case, as the triggers compute them: details' scalar values, the
# customer's words (automatic mail left out) and our replies, each in time order.
_DETAILS = (
    "(SELECT coalesce(group_concat(value, ' '), '') FROM json_tree({row}.details) "
    "WHERE type IN ('text', 'integer', 'real'))"
)
_WORDS = (
    "(SELECT coalesce(group_concat(body, ' '), '') FROM (SELECT body FROM cases_event "
    "WHERE case_id = {case} AND kind IN {kinds} "
    "AND coalesce(json_extract(data, '$.automatic'), 0) = 0 ORDER BY at, id))"
)


def _row_values(row: str, case: str) -> str:
    return ", ".join(
        (
            f"{row}.subject",
            f"{row}.real_need",
            _DETAILS.format(row=row),
            _WORDS.format(case=case, kinds=CUSTOMER_KINDS),
            f"{row}.resolution",
            _WORDS.format(case=case, kinds=REPLY_KINDS),
        )
    )


_NAMES = ", ".join(name for name, _ in COLUMNS)
_FILL = (
    f"INSERT INTO {TABLE} (rowid, {_NAMES}) "
    f"SELECT c.id, {_row_values('c', 'c.id')} FROM cases_case c"
)
_CASE_CHANGED = " OR ".join(
    f"OLD.{name} IS NOT NEW.{name}" for name in ("subject", "real_need", "details", "resolution")
)
_REFRESH = f"DELETE FROM {TABLE} WHERE rowid = {{case}}; {_FILL} WHERE c.id = {{case}};"

INSTALL = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5({_NAMES}, tokenize = '{TOKENIZE}')",
    f"CREATE VIRTUAL TABLE {VOCAB} USING fts5vocab({TABLE}, 'row')",
    f"CREATE TRIGGER problems_search_case_insert AFTER INSERT ON cases_case BEGIN "
    f"{_REFRESH.format(case='NEW.id')} END",
    f"CREATE TRIGGER problems_search_case_update AFTER UPDATE ON cases_case "
    f"WHEN {_CASE_CHANGED} BEGIN {_REFRESH.format(case='NEW.id')} END",
    f"CREATE TRIGGER problems_search_case_delete AFTER DELETE ON cases_case BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid = OLD.id; END",
    f"CREATE TRIGGER problems_search_event_insert AFTER INSERT ON cases_event "
    f"WHEN NEW.kind IN {_EVENT_KINDS} BEGIN {_REFRESH.format(case='NEW.case_id')} END",
    # Events are append-only, except erasing a customer's words (DESIGN rule 15).
    f"CREATE TRIGGER problems_search_event_update AFTER UPDATE ON cases_event "
    f"WHEN NEW.kind IN {_EVENT_KINDS} OR OLD.kind IN {_EVENT_KINDS} BEGIN "
    f"{_REFRESH.format(case='NEW.case_id')} END",
    f"CREATE TRIGGER problems_search_event_delete AFTER DELETE ON cases_event "
    f"WHEN OLD.kind IN {_EVENT_KINDS} BEGIN {_REFRESH.format(case='OLD.case_id')} END",
]
UNINSTALL = [
    "DROP TRIGGER IF EXISTS problems_search_event_delete",
    "DROP TRIGGER IF EXISTS problems_search_event_update",
    "DROP TRIGGER IF EXISTS problems_search_event_insert",
    "DROP TRIGGER IF EXISTS problems_search_case_delete",
    "DROP TRIGGER IF EXISTS problems_search_case_update",
    "DROP TRIGGER IF EXISTS problems_search_case_insert",
    f"DROP TABLE IF EXISTS {VOCAB}",
    f"DROP TABLE IF EXISTS {TABLE}",
]


# Words to terms: the index's own tokenizer, run in a private in-memory database, so a query
# is stemmed exactly as the index was (and the FTS5 query syntax never sees a user's text).
_local = threading.local()


def _tokenizer() -> sqlite3.Connection:
    memory = getattr(_local, "memory", None)
    if memory is None:
        memory = sqlite3.connect(":memory:")
        memory.execute(f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize = '{TOKENIZE}')")
        memory.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(words, 'instance')")
        _local.memory = memory
    return memory


def stems(words: Iterable[str]) -> dict[str, str]:
    """Each word's term in the index ("" for a word the tokenizer drops)."""
    unique = sorted(set(words))
    memory = _tokenizer()
    with memory:
        memory.execute("DELETE FROM words")
        memory.executemany(
            "INSERT INTO words (rowid, word) VALUES (?, ?)", enumerate(unique, start=1)
        )
        rows = memory.execute("SELECT doc, term FROM terms ORDER BY doc, offset").fetchall()
    found: dict[str, str] = {}
    for doc, term in rows:
        found.setdefault(unique[doc - 1], term)
    return {word: found.get(word, "") for word in unique}


def texts(case_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """The indexed texts of these cases by weight class (A-D)."""
    if not case_ids:
        return {}
    marks = ", ".join(["%s"] * len(case_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, {_NAMES} FROM {TABLE} WHERE rowid IN ({marks})", list(case_ids)
        )
        rows = cursor.fetchall()
    found: dict[int, dict[str, str]] = {}
    for row in rows:
        classes: dict[str, str] = {}
        for (_, weight), text in zip(COLUMNS, row[1:], strict=True):
            classes[weight] = f"{classes.get(weight, '')} {text or ''}"
        found[row[0]] = classes
    return found


def doc_freq(
    terms: Sequence[str], *, words: Mapping[str, str] | None = None, cap: int = DF_CAP
) -> dict[str, int]:
    """How many cases hold each term, counted up to DF_CAP (more is as good as common): an
    early stop on its posting list, where fts5vocab would read all of it. One statement for
    up to COUNTED_AT_ONCE terms."""
    asked = [
        (term, found[0])
        for term, found in zip(terms, _as_words([[t] for t in terms], words), strict=True)
        if found
    ]
    counts: dict[str, int] = {}
    count_one = (
        f"SELECT %s, (SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s))"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(asked), COUNTED_AT_ONCE):
            chunk = asked[start : start + COUNTED_AT_ONCE]
            cursor.execute(
                " UNION ALL ".join([count_one] * len(chunk)),
                [value for term, word in chunk for value in (term, _phrase(word), cap)],
            )
            counts.update((term, count) for term, count in cursor.fetchall() if count)
    return counts


def doc_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(rowid), 0) FROM {TABLE}")
        return int(cursor.fetchone()[0])


def vocabulary_near(term: str) -> list[tuple[str, int]]:
    """Terms of the index that start as `term` does (its first two letters), with their
    document counts: the ones a typo of `term` may have meant. A range on fts5vocab."""
    start = term[:2]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, doc FROM {VOCAB} WHERE term >= %s AND term < %s "
            "AND length(term) BETWEEN %s AND %s",
            [start, start + "\uffff", len(term) - 2, len(term) + 2],
        )
        return cursor.fetchall()


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _expression(groups: Sequence[Sequence[str]], *, every: bool) -> str:
    joined = [" OR ".join(_phrase(word) for word in group) for group in groups if group]
    return f" {'AND' if every else 'OR'} ".join(f"({part})" for part in joined)


def _as_words(groups: Sequence[Sequence[str]], words: Mapping[str, str] | None) -> list[list[str]]:
    """Terms as words FTS5 stems back to them: a query is tokenized again, and a stem is not
    always its own stem ("agre" becomes "agr"). A term with no such word is left out."""
    words = words or {}
    plain = stems(t for group in groups for t in group if t not in words)
    return [[words.get(t, t) for t in group if t in words or plain.get(t) == t] for group in groups]


def ranked(
    groups: Sequence[Sequence[str]],
    *,
    every: bool,
    limit: int,
    category_id: int | None = None,
    words: Mapping[str, str] | None = None,
    text: str | None = None,
    window: int | None = None,
    telling: Sequence[Sequence[str]] | None = None,
) -> list[tuple[int, float]]:
    """Cases matching the terms (each group: one term and its alternatives), best first by
    bm25 (negated, so higher is better). `every`: all groups must match, else any. `words`:
    a word for each term. (`text` is PostgreSQL's; FTS5 reads the terms.) `window`: rank
    only the newest this many matches. `telling`: the groups that rank them (the others are
    common; without any, the newest matches come first)."""
    expression = _expression(_as_words(groups, words), every=every)
    if not expression:
        return []
    where = f"{TABLE} MATCH %s"
    params: list[Any] = [expression]
    if category_id is not None:
        where += " AND rowid IN (SELECT id FROM cases_case WHERE category_id = %s)"
        params.append(category_id)
    with connection.cursor() as cursor:
        if window is not None:
            # Only the newest `window` matches are ranked: bm25 scores every match, and a
            # common word matches a good share of a million cases. FTS5 walks rowids newest
            # first and stops at the LIMIT.
            cursor.execute(
                f"SELECT min(rowid) FROM (SELECT rowid FROM {TABLE} WHERE {where} "
                "ORDER BY rowid DESC LIMIT %s)",
                [*params, window],
            )
            oldest = cursor.fetchone()[0]
            if oldest is None:
                return []
            where += " AND rowid >= %s"
            params.append(oldest)
        if telling is None:
            return _bm25_ranked(cursor, where, params, expression, limit)
        return _telling_ranked(cursor, where, params, _as_words(telling, words), limit)


def _bm25_ranked(
    cursor: Any, where: str, params: list[Any], expression: str, limit: int
) -> list[tuple[int, float]]:
    weights = ", ".join(str(BM25_WEIGHTS[weight]) for _, weight in COLUMNS)
    cursor.execute(
        f"SELECT rowid, -bm25({TABLE}, {weights}) FROM {TABLE} WHERE {where} "
        "ORDER BY bm25(" + TABLE + f", {weights}) LIMIT %s",
        [*params, limit],
    )
    return [(int(case_id), float(score)) for case_id, score in cursor.fetchall()]


def _telling_ranked(
    cursor: Any, where: str, params: list[Any], telling: list[list[str]], limit: int
) -> list[tuple[int, float]]:
    """The matches ranked by bm25 over their telling terms only, then the newest others: bm25
    counts the cases holding each term of its query, all of them (a common word: most of a
    million), while a common word tells little about which match is best."""
    ranked: list[tuple[int, float]] = []
    telling_expression = _expression(telling, every=False)
    if telling_expression:
        ranked = _bm25_ranked(
            cursor,
            f"{TABLE} MATCH %s AND rowid IN (SELECT rowid FROM {TABLE} WHERE {where})",
            [telling_expression, *params],
            telling_expression,
            limit,
        )
    if len(ranked) < limit:
        seen = {case_id for case_id, _ in ranked}
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE {where} ORDER BY rowid DESC LIMIT %s",
            [*params, limit + len(seen)],
        )
        newest = [int(row[0]) for row in cursor.fetchall() if row[0] not in seen]
        ranked += [(case_id, 0.0) for case_id in newest[: limit - len(ranked)]]
    return ranked


def holders(terms: Sequence[str], *, words: Mapping[str, str] | None = None) -> dict:
    """The cases holding each term: its posting list, without ranking (bm25 costs more than
    the whole list does)."""
    found: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        for term, asked in zip(terms, _as_words([[t] for t in terms], words), strict=True):
            if asked:
                cursor.execute(
                    f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [_phrase(asked[0])]
                )
                found[term] = [row[0] for row in cursor.fetchall()]
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
    expression = _expression(_as_words([terms], words), every=False)
    if not case_ids or not expression:
        return {}
    marks = ", ".join(["%s"] * len(case_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({TABLE}, -1, %s, %s, '…', 24) FROM {TABLE} "
            f"WHERE {TABLE} MATCH %s AND rowid IN ({marks})",
            [start, end, expression, *case_ids],
        )
        return dict(cursor.fetchall())


def rebuild(
    progress: Callable[[int, int], None] | None = None,
    *,
    batch: int = 20000,
    using: BaseDatabaseWrapper | None = None,
) -> int:
    """Refill the index from the cases and their events, a batch of case ids at a time."""
    with (using or connection).cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM cases_case")
        low, high = cursor.fetchone()
        if not high:  # no cases: range(0, 1) would count one
            low, high = 1, 0
        cursor.execute(f"DELETE FROM {TABLE}")
        done = 0
        for start in range(low, high + 1, batch):
            cursor.execute(f"{_FILL} WHERE c.id >= %s AND c.id < %s", [start, start + batch])
            done = min(high, start + batch - 1) - low + 1
            if progress is not None:
                progress(done, high - low + 1)
        cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")
    return done


def ensure_installed(using: BaseDatabaseWrapper) -> bool:
    """Put back triggers a later migration dropped (SQLite drops a table's triggers when
    Django remakes the table to alter it) or a bulk load suspended, then refill the index.
    Whether it had to."""
    with using.cursor() as cursor:
        cursor.execute(
            "SELECT type, name FROM sqlite_master WHERE name = %s "
            "OR (type = 'trigger' AND name LIKE 'problems_search_%%')",
            [TABLE],
        )
        found = cursor.fetchall()
        triggers = [s for s in INSTALL if s.startswith("CREATE TRIGGER")]
        if ("table", TABLE) not in found or len(found) == len(triggers) + 1:
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
