from django.db import migrations, models


class Migration(migrations.Migration):
    """The closing sweep's partial index (relaydesk.clock.closing): solved cases by solve time."""

    dependencies = [
        ("cases", "0008_status_links"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "solved")),
                fields=["solved_at"],
                name="case_solved_close_idx",
            ),
        ),
    ]
