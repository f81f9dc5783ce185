"""Inserting the plain rows every action writes, without compiling an INSERT each time.

`Model.save()` builds its INSERT statement anew on every call; for the rows an action writes
(a case, its events, notification lines, queued mail) building the statement costs several
times what the database then does with it (bench/open_case.py). `insert()` builds each
model's statement once per database vendor and only converts the values, with each field's
own `pre_save` and `get_db_prep_save`, so a row is stored exactly as `save()` would store it.

Only for plain rows: no `save()` override or signal runs (none of these models has a signal;
Event's override only refuses changes, and an insert is not a change).
"""

from django.db import connections, models
from django.db.models.fields import AutoFieldMixin

_statements: dict[tuple[type[models.Model], str], tuple[list[models.Field], str]] = {}


def _statement(model: type[models.Model], connection) -> tuple[list[models.Field], str]:
    key = (model, connection.vendor)
    if key not in _statements:
        opts = model._meta
        fields = [f for f in opts.concrete_fields if not isinstance(f, AutoFieldMixin)]
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(opts.db_table)} "  # noqa: S608 (names from the model, values bound)
            f"({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join('%s' for _ in fields)}) RETURNING {quote(opts.pk.column)}"
        )
        _statements[key] = (fields, sql)
    return _statements[key]


def insert(obj: models.Model, *, using: str = "default") -> models.Model:
    """Insert the new, unsaved `obj` and give it its primary key, as `obj.save()` would."""
    connection = connections[using]
    fields, sql = _statement(type(obj), connection)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = using
    return obj
