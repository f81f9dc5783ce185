"""Multi-row INSERT … RETURNING for the sweep's thousands of rows a second.

`Model.objects.bulk_create` builds a model instance per row and, on SQLite, splits a batch
into statements of at most 999 parameters (83 events each). At 10,000 escalations a sweep
that was most of its time. `Insert` writes plain tuples instead, one statement per table: a
multi-row VALUES list on SQLite, `INSERT … SELECT FROM unnest(arrays)` on PostgreSQL. Every
value is stored as the ORM would store it, on either engine: datetimes, JSON and anything
else go through the field's `get_db_prep_save` on Django's own connection (each distinct
value once); a str, int or bool in a text, integer/id or boolean column is passed as it is,
which is what `get_db_prep_save` returns for it. Values that are the same for every row are
prepared once, and the columns the caller does not name get their model default, prepared
once, as bulk_create would.
"""

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from relaydesk.rows import plain_type


def _max_params(connection) -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 65_535  # PostgreSQL's wire protocol: a 16-bit parameter count


@lru_cache(maxsize=32)  # full batches repeat; a last, shorter one varies
def _sql(
    vendor: str, table: str, columns: tuple[str, ...], returning: tuple[str, ...], rows: int
) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name  # the same on both engines
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 - names from the model
        f"VALUES {', '.join([one] * rows)}"
    )
    if returning:
        sql += f" RETURNING {', '.join(quote(c) for c in returning)}"
    return sql


@lru_cache(maxsize=32)
def _unnest_sql(
    table: str,
    varying: tuple[tuple[str, str], ...],
    fixed: tuple[tuple[str, str], ...],
    returning: tuple[str, ...],
) -> str:
    """PostgreSQL: one array parameter per varying column, unnested into rows.

    A multi-row VALUES list of thousands of literals costs PostgreSQL (and psycopg) several
    times more to parse than the same values as a few arrays, and the statement is the same
    text for every batch size. The arrays go in binary (`%b`, server-side binding): psycopg
    then escapes no text in Python.
    """
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    names = ", ".join(quote(column) for column, _ in [*varying, *fixed])
    values = ", ".join(
        [f"u.c{n}" for n in range(len(varying))] + [f"%s::{db_type}" for _, db_type in fixed]
    )
    arrays = ", ".join(f"%b::{db_type}[]" for _, db_type in varying)
    aliases = ", ".join(f"c{n}" for n in range(len(varying)))
    sql = (
        f"INSERT INTO {quote(table)} ({names}) "  # noqa: S608 - names and types from the model
        f"SELECT {values} FROM unnest({arrays}) AS u({aliases})"
    )
    if returning:
        sql += f" RETURNING {', '.join(quote(c) for c in returning)}"
    return sql


class Insert:
    """INSERT rows of `model`: `varying` columns per row, `fixed` ones the same for all."""

    def __init__(
        self,
        model,
        varying: Sequence[str],
        fixed: dict[str, Any],
        returning: Sequence[str] = (),
    ):
        # The connection itself, not django.db.connection: every attribute read through that
        # proxy costs a thread-local look-up, and get_db_prep_save reads it per value.
        self.connection = connection = connections[DEFAULT_DB_ALIAS]
        meta = model._meta
        self.table = meta.db_table
        fields = {field.attname: field for field in meta.concrete_fields}
        unknown = [name for name in [*varying, *fixed, *returning] if name not in fields]
        if unknown:
            raise ValueError(f"{self.table} has no column(s) {unknown}")
        self.varying = [fields[name] for name in varying]
        defaults = {
            name: field.get_default()
            for name, field in fields.items()
            if name not in varying and name not in fixed and field is not meta.pk
        }
        constant = {**defaults, **fixed}
        self.fixed_values = tuple(
            fields[name].get_db_prep_save(value, connection) for name, value in constant.items()
        )
        self.columns = tuple(
            [field.column for field in self.varying] + [fields[name].column for name in constant]
        )
        self.types = tuple(
            [field.db_type(connection) for field in self.varying]
            + [fields[name].db_type(connection) for name in constant]
        )
        self.returning = tuple(fields[name].column for name in returning)

    def run(self, rows: Iterable[Sequence[Any]]) -> list[tuple]:
        """Insert the rows (values in `varying` order); the RETURNING values of each."""
        connection = self.connection
        columns = [(field.get_db_prep_save, plain_type(field), {}) for field in self.varying]

        def prepare(column, value):
            prep, plain, seen = column
            if value is None or value.__class__ is plain:
                # get_db_prep_save returns a str for a text column, an int for an integer or
                # id column, a bool for a boolean one, None for NULL: skip the calls.
                return value
            if value.__class__ in (dict, list):  # JSON: unhashable, prepared every time
                return prep(value, connection)
            try:  # a column repeats few other values (moments): prepare each once
                return seen[value]
            except KeyError:
                seen[value] = prepared_value = prep(value, connection)
                return prepared_value

        width = len(columns)
        prepared = []
        for row in rows:
            if len(row) != width:
                raise ValueError(f"{self.table}: {len(row)} values for {width} columns")
            prepared.append(tuple(map(prepare, columns, row)))
        if not prepared:
            return []
        if connection.vendor == "postgresql":
            return self._unnest(prepared)
        with connection.cursor() as cursor:
            return self._values(cursor, prepared)

    def _unnest(self, prepared: list[tuple]) -> list[tuple]:
        from django.db.backends.postgresql.base import ServerBindingCursor

        connection = self.connection
        width = len(self.varying)
        typed = tuple(zip(self.columns, self.types, strict=True))
        sql = _unnest_sql(self.table, typed[:width], typed[width:], self.returning)
        params = [*self.fixed_values, *(list(column) for column in zip(*prepared, strict=True))]
        # Django's connection uses client-side binding, which has no binary parameters: this
        # one statement takes a server-binding cursor, wrapped as Django wraps its own (query
        # logging, execute wrappers, pinned query counts).
        connection.ensure_connection()
        raw = ServerBindingCursor(connection.connection)
        wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
        with wrap(raw) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if self.returning else []

    def _values(self, cursor, prepared: list[tuple]) -> list[tuple]:
        fixed = self.fixed_values
        per_statement = max(1, _max_params(self.connection) // len(self.columns))
        returned: list[tuple] = []
        for start in range(0, len(prepared), per_statement):
            chunk = prepared[start : start + per_statement]
            params = [value for row in chunk for value in (*row, *fixed)]
            vendor = self.connection.vendor
            cursor.execute(
                _sql(vendor, self.table, self.columns, self.returning, len(chunk)), params
            )
            if self.returning:
                returned.extend(cursor.fetchall())
        return returned
