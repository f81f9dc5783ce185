"""PostgreSQL only: drop the `varchar_pattern_ops` twin Django adds to the unique status_token.

Django creates a `…_like` index beside every unique CharField on PostgreSQL, for LIKE
'prefix%' queries. No query ever filters status_token by pattern (the status page and reply
addresses look it up by equality, which the unique index serves), yet every case UPDATE that
cannot be HOT, such as each escalation, writes an entry at a random place of this 47 MB index
(at 1M cases), with a full-page WAL image after every checkpoint: dropping it cut the
escalation sweep's WAL by a fifth and its time by about 0.5 s per 10,000 (docs/performance.md,
the clock). Django's model state has no such index, so only the database changes; a later
AlterField of status_token drops it with IF EXISTS.
"""

from django.db import migrations


def _like_index(schema_editor) -> str:
    return schema_editor._create_index_name("cases_case", ["status_token"], suffix="_like")


def drop_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    name = schema_editor.quote_name(_like_index(schema_editor))
    schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    name = schema_editor.quote_name(_like_index(schema_editor))
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS {name} ON "cases_case" ("status_token" varchar_pattern_ops)'
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_fewer_write_indexes")]

    operations = [migrations.RunPython(drop_like_index, create_like_index, elidable=False)]
