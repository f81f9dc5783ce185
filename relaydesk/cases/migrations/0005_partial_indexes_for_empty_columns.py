"""Opening a case writes fewer index pages: none for what an open case does not have, and
events' time index appended to at its end.

solved_by and problem are empty on every open case, yet their foreign-key indexes took an
entry (a B-tree page in each commit) for every case opened; they now hold only the rows that
have a value, which is all a lookup by them (`= id`) can find. The same for the system's
events (actor NULL) in event_actor_time_idx. Each opened case writes three fewer index pages
to the WAL (bench/open_case.py). The events' (at) and (kind, at) indexes become one (at, kind):
new events land at its end, where SQLite appends without splitting pages; (kind, at) took them
in the middle of each kind's range. The indexes Django made from db_index are dropped by name
on both engines: AlterField would make SQLite rebuild the case and event tables.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DROPPED = [
    ("cases_case", "solved_by_id", "cases_case_solved_by_id_b046a026"),
    ("cases_case", "problem_id", "cases_case_problem_id_67886611"),
    ("cases_event", "at", "cases_event_at_6636f261"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_drop_status_token_like_index"),
        ("problems", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="problem",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="problems.problem",
                    ),
                ),
                migrations.AlterField(
                    model_name="event",
                    name="at",
                    field=models.DateTimeField(),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="solved_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="solved_cases",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
                )
                for table, column, name in DROPPED
            ],
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("solved_by__isnull", False)),
                fields=["solved_by"],
                name="case_solved_by_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("problem__isnull", False)),
                fields=["problem"],
                name="case_problem_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="event", name="event_kind_time_idx"),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["at", "kind"], name="event_time_idx"),
        ),
        migrations.RemoveIndex(model_name="event", name="event_actor_time_idx"),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("actor__isnull", False)),
                fields=["actor", "at"],
                name="event_actor_time_idx",
            ),
        ),
    ]
