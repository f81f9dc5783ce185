"""PostgreSQL: vacuum and analyze the cases table after 1% of it changed, not the default 20%.

The sweeps read the partial indexes case_escalation_due_idx and case_tickle_due_idx. After a
burst of escalations those indexes still hold entries for the old row versions until VACUUM
removes them, and stale statistics can make the planner pick case_open_deadline_idx instead;
both turn the idle sweep from well under a millisecond into tens of milliseconds at 1M cases
(docs/performance.md, "The clock"). SQLite needs nothing: the sweep names its index there.
"""

from django.db import migrations

SETTINGS = "autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01"


def tune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE cases_case SET ({SETTINGS})")


def untune(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE cases_case RESET "
            "(autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor)"
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_open_deadline_index")]

    operations = [migrations.RunPython(tune, untune)]
