"""The case index: its tables and the triggers that keep it in step, per database engine.

The SQL is the search engines' own (relaydesk.problems.search.sqlite and .postgres): the one
place each engine's hand-written SQL lives. The index starts filled from existing cases.
"""

from django.db import migrations


def _engine(schema_editor):
    from relaydesk.problems.search import postgres, sqlite

    return postgres if schema_editor.connection.vendor == "postgresql" else sqlite


def install(apps, schema_editor):
    engine = _engine(schema_editor)
    for statement in engine.INSTALL:
        schema_editor.execute(statement, params=None)
    engine.rebuild(using=schema_editor.connection)


def uninstall(apps, schema_editor):
    for statement in _engine(schema_editor).UNINSTALL:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("problems", "0002_problem_work"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
