# The trail's last walks of a month's events, replaced (issue 16): each spell a solve ended
# keeps the solve's time from the opening and the problem it linked (filled for an existing
# history from its spells and solve events by relaydesk.cases.spells.fill_solves, one UPDATE),
# and the `resumed` events get a small index of their own (the trail's waiting time).

from django.db import migrations, models


def fill_solves(apps, schema_editor):
    from relaydesk.cases.spells import fill_solves

    fill_solves(apps.get_model("cases", "Event"), apps.get_model("cases", "Spell"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_day_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="spell",
            name="solve_time",
            field=models.DurationField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="spell",
            name="solve_problem",
            field=models.IntegerField(blank=True, null=True),
        ),
        migrations.RunPython(fill_solves, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="spell",
            index=models.Index(
                condition=models.Q(("solve_time__isnull", False)),
                fields=["ended_at", "solve_time"],
                name="spell_solve_time_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="spell",
            index=models.Index(
                condition=models.Q(("solve_problem__isnull", False)),
                fields=["ended_at", "solve_problem", "case"],
                name="spell_solve_problem_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("kind", "resumed")),
                fields=["at"],
                name="event_resumed_idx",
            ),
        ),
    ]
