"""Inserting the plain rows every action writes, without compiling an INSERT each time.

`Model.save()` builds its INSERT statement anew on every call; for the rows an action writes
(a case, its events, notification lines, queued mail) building the statement costs several
times what the database then does with it (bench/open_case.py). `insert()` builds each
model's statement once per database vendor and only converts the values, with each field's
own `pre_save` and `get_db_prep_save` (aware datetimes directly, as those would), so a row is
stored exactly as `save()` would store it. `new()` builds those rows without the keyword
constructor's per-field descriptor work, and `fetch()` runs fixed statements (these INSERTs
and the hot reads) on SQLite's own cursor.

Only for plain rows: no `save()` override or signal runs (none of these models has a signal;
Event's override only refuses changes, and an insert is not a change).
"""

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import compress
from operator import attrgetter, is_not, itemgetter, methodcaller

from django.conf import settings
from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.fields import AutoFieldMixin


def plain_type(field: models.Field) -> type | None:
    """The Python type whose values this field stores unchanged on both engines, if any.

    For None or a value of exactly that type (a bool is not an int here, nor an int a bool),
    get_db_prep_save returns the value itself, so callers may skip the call. Any other value
    (an int for a BooleanField, a str for an IntegerField, "" for a foreign key, a choices
    member) must be converted by the field, as save() converts it. relaydesk.clock.bulk uses
    the same rule for its multi-row inserts.
    """
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField):  # also the auto and big integer ids
        return int
    if isinstance(field, models.CharField | models.TextField):
        return str
    return None


class _Layout:
    """What `new` needs to know about a model's concrete fields, worked out once.

    slots: each field name and attname → (position, the field when the name takes a related
    object, that object's key attname); defaults: each field's default as get_default gives
    it, for the fields whose default is a fixed value; factories: (position, get_default)
    for the fields whose default is made anew for each row (a callable default).
    """

    __slots__ = ("attnames", "defaults", "factories", "slots")

    def __init__(self, model: type[models.Model]):
        self.attnames, self.defaults, self.factories, self.slots = [], [], [], {}
        for position, field in enumerate(model._meta.concrete_fields):
            self.attnames.append(field.attname)
            if field.is_relation:
                self.slots[field.name] = (position, field, field.target_field.attname)
            self.slots[field.attname] = (position, None, None)
            if field.has_default() and callable(field.default):
                self.factories.append((position, field.get_default))
                self.defaults.append(None)
            else:  # get_default returns the same value on every call
                self.defaults.append(field.get_default())


_layouts: dict[type[models.Model], _Layout] = {}


def new(model: type[models.Model], **values) -> models.Model:
    """The unsaved instance `model(**values)` makes, built the way Django builds the rows it
    reads: values by position, then the related objects given put in the instance's cache.

    Keyword construction sends every related object through its descriptor's checks and
    every field through a keyword lookup; for the rows each action writes that cost more than
    SQLite then spends storing them. Takes field names (a related object) or attnames (its
    key); a field not given gets its default, as with the keyword form.
    """
    layout = _layouts.get(model)
    if layout is None:
        layout = _layouts[model] = _Layout(model)
    args = layout.defaults.copy()
    given, related, unexpected = set(), [], []
    for key, value in values.items():
        slot = layout.slots.get(key)
        if slot is None:
            unexpected.append(key)
            continue
        position, field, target = slot
        if position in given:
            raise TypeError(f"{model.__name__}() got both {key} and its related object or key")
        given.add(position)
        if field is not None:
            if value is not None and not isinstance(value, field.related_model):
                raise ValueError(
                    f'Cannot assign "{value!r}": "{model.__name__}.{key}" must be a '
                    f'"{field.related_model.__name__}" instance.'
                )
            related.append((field, value))
            value = None if value is None else getattr(value, target)
        args[position] = value
    if unexpected:
        raise TypeError(f"{model.__name__}() got unexpected fields {', '.join(sorted(unexpected))}")
    for position, factory in layout.factories:
        if position not in given:
            args[position] = factory()
    if signals.pre_init.receivers or signals.post_init.receivers:
        # Somebody listens for some model's init: let Model.__init__ send the signals.
        obj = model(*args)
    else:
        # What Model.__init__ does with positional values when nobody listens for it, without
        # its per-field descriptor calls: a field's value lives in the instance's __dict__
        # under its attname, where every field's descriptor reads it.
        obj = model.__new__(model)
        obj._state = ModelState()
        obj.__dict__.update(zip(layout.attnames, args, strict=True))
    for field, other in related:
        field.set_cached_value(obj, other)
    return obj


class _Statement:
    """A model's INSERT for one database vendor, and what insert() needs to fill it.

    columns: (field, attname, plain type or None) for each column after the id.
    read: the columns' values from an instance's __dict__, in order (C speed).
    settled: for each column, the one type whose values are stored exactly as they are, so
    insert() converts only the values of another type; _NEVER for the columns whose every
    value needs a look (moments, JSON, fields without a plain type, and string-keyed
    relations, whose "" may stand for a related object saved after it was assigned).
    PostgreSQL's INSERT returns the new id; SQLite's driver hands it over as the cursor's
    lastrowid, which costs SQLite a third less per row than RETURNING's result row.
    """

    __slots__ = ("columns", "positions", "read", "settled", "sql")

    def __init__(self, model: type[models.Model], connection):
        opts = model._meta
        fields = [f for f in opts.concrete_fields if not isinstance(f, AutoFieldMixin)]
        quote = connection.ops.quote_name
        self.sql = (
            f"INSERT INTO {quote(opts.db_table)} "  # noqa: S608 (names from the model, values bound)
            f"({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join('%s' for _ in fields)})"
        )
        if connection.vendor != "sqlite":
            self.sql += f" RETURNING {quote(opts.pk.column)}"
        self.columns = [
            (f, f.attname, plain_type(f) or _moment_type(f) or _json_type(f, connection))
            for f in fields
        ]
        self.positions = range(len(fields))
        attnames = [attname for _, attname, _ in self.columns]
        getter = itemgetter(*attnames)
        self.read = getter if len(attnames) > 1 else lambda stored: (getter(stored),)
        self.settled = [
            plain if plain in (str, int, bool) and not (f.is_relation and plain is str) else _NEVER
            for f, _, plain in self.columns
        ]


class _NEVER:
    """No value has this type: a column whose every value goes through insert()'s look."""


_statements: dict[tuple[type[models.Model], str], _Statement] = {}


def _statement(model: type[models.Model], connection) -> _Statement:
    key = (model, connection.vendor)
    statement = _statements.get(key)
    if statement is None:
        statement = _statements[key] = _Statement(model, connection)
    return statement


def _moment_type(field: models.Field) -> type | None:
    """datetime for a plain DateTimeField (no auto_now): its aware values are stored by
    `_stored_moment`, what get_db_prep_save would give for a fraction of its cost."""
    plain = type(field) is models.DateTimeField and not (field.auto_now or field.auto_now_add)
    return datetime if plain and settings.USE_TZ else None


class _JSON:
    """The type of a JSONField without an encoder on SQLite, whose dicts and lists are stored
    as json.dumps gives them (as get_db_prep_save would, through adapt_json_value)."""


def _json_type(field: models.Field, connection) -> type | None:
    plain = type(field) is models.JSONField and field.encoder is None
    return _JSON if plain and connection.vendor == "sqlite" else None


def _stored_moment(value: datetime, connection):
    """An aware datetime as DateTimeField stores it: SQLite keeps naive text in the
    connection's time zone (UTC), PostgreSQL takes the aware value as it is."""
    if connection.vendor != "sqlite":
        return value
    if value.tzinfo is not connection.timezone:
        value = value.astimezone(connection.timezone)
    if value.tzinfo is UTC:  # str() of the naive datetime is its text without "+00:00"
        return value.isoformat(" ")[:-6]
    return value.replace(tzinfo=None).isoformat(" ")  # str() of a naive datetime


def insert(obj: models.Model, *, using: str = "default") -> models.Model:
    """Insert the new, unsaved `obj` and give it its primary key, as `obj.save()` would."""
    connection = connections[using]
    statement = _statement(type(obj), connection)
    try:  # every field's value is in the instance's __dict__, where its descriptor reads it
        params = list(statement.read(obj.__dict__))
    except KeyError:  # a field not loaded yet: through its descriptor, as save() reads it
        params = [getattr(obj, attname) for _, attname, _ in statement.columns]
    # Only values not already of their column's plain type need converting (C-speed search).
    unsettled = compress(statement.positions, map(is_not, map(type, params), statement.settled))
    for position in list(unsettled):
        field, attname, plain = statement.columns[position]
        if plain is None:
            params[position] = field.get_db_prep_save(field.pre_save(obj, True), connection)
            continue
        value = params[position]
        if value in (None, "") and field.is_relation and field.is_cached(obj):
            # As save(): a related object saved after it was assigned gives its key now, and
            # one still unsaved is refused (rather than silently storing NULL).
            obj._prepare_related_fields_for_save(operation_name="insert", fields=[field])
            value = getattr(obj, attname)
        if value is None:
            pass
        elif plain is datetime and type(value) is datetime and value.utcoffset() is not None:
            value = _stored_moment(value, connection)
        elif plain is _JSON and type(value) in (dict, list):
            value = json.dumps(value)
        elif type(value) is not plain:
            value = field.get_db_prep_save(value, connection)
        params[position] = value
    if connection.vendor == "sqlite":
        obj.pk = _run(connection, statement.sql, params, _LAST_ROW_ID)
    else:
        obj.pk = _run(connection, statement.sql, params, _ALL_ROWS)[0][0]
    obj._state.adding = False
    obj._state.db = using
    return obj


_driver_sql: dict[str, str] = {}
_PLACEHOLDER = re.compile(r"(?<!%)%s")  # Django's SQLite backend's: "%%s" is not one


def fetch(connection, sql: str, params) -> list[tuple]:
    """Run one fixed statement ("%s" placeholders) and return its rows, errors as Django's.

    Fixed: the text comes from the code, never built per call (its driver form is kept).

    On SQLite the driver's own connection runs it, unless something watches the queries
    (DEBUG, assertNumQueries, execute_wrappers): Django's cursor wrappers and its rewrite of
    "%s" into "?" on every call cost a third of what SQLite then spends running the rows an
    action writes (bench/open_case.py). The rewrite is done once per statement here, as
    Django does it: "%s" becomes "?" and "%%" a literal "%" (so "%%s" is the text "%s").
    """
    return _run(connection, sql, params, _ALL_ROWS)


_ALL_ROWS = methodcaller("fetchall")
_LAST_ROW_ID = attrgetter("lastrowid")


def _run(connection, sql: str, params, result: Callable):
    """fetch()'s work: run the statement, return `result` of the cursor that ran it."""
    if not isinstance(connection, BaseDatabaseWrapper):
        # django.db.connection is a proxy that looks the thread's connection up on every
        # attribute; look it up once.
        connection = connections[connection.alias]
    if connection.vendor == "sqlite" and not (
        connection.queries_logged or connection.execute_wrappers
    ):
        if connection.connection is None:
            connection.ensure_connection()
        connection.validate_no_broken_transaction()
        driver_sql = _driver_sql.get(sql)
        if driver_sql is None:
            driver_sql = _driver_sql[sql] = _PLACEHOLDER.sub("?", sql).replace("%%", "%")
        with connection.wrap_database_errors:
            return result(connection.connection.execute(driver_sql, params))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return result(cursor)
