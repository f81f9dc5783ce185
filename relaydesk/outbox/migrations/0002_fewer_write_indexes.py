"""Queued mail writes no index entries nobody reads.

- outgoingmail.event: mail is never looked up by its event (events are never deleted), so
  its foreign-key index is dropped (by name: AlterField would make SQLite rebuild the table).
- PostgreSQL only: the `varchar_pattern_ops` twin Django adds beside the unique message_id,
  for LIKE 'prefix%' queries that never happen (threading looks message ids up by equality,
  which the unique index serves); each queued mail wrote an entry at a random place of it.
"""

import django.db.models.deletion
from django.db import migrations, models

EVENT_INDEX = "outbox_outgoingmail_event_id_feb13b0c"


def _like_index(schema_editor) -> str:
    return schema_editor._create_index_name("outbox_outgoingmail", ["message_id"], suffix="_like")


def drop_like_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        name = schema_editor.quote_name(_like_index(schema_editor))
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create_like_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        name = schema_editor.quote_name(_like_index(schema_editor))
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} "
            'ON "outbox_outgoingmail" ("message_id" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_partial_indexes_for_empty_columns"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="outgoingmail",
                    name="event",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="cases.event",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{EVENT_INDEX}"',
                    reverse_sql=(
                        f'CREATE INDEX IF NOT EXISTS "{EVENT_INDEX}" '
                        'ON "outbox_outgoingmail" ("event_id")'
                    ),
                )
            ],
        ),
        migrations.RunPython(drop_like_index, create_like_index, elidable=False),
    ]
