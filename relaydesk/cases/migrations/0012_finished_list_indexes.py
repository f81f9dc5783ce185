from django.db import migrations, models


class Migration(migrations.Migration):
    """My cases and the queue showing solved or closed cases (relaydesk.web.queries): a
    person's, or a tier's, finished cases by solve time."""

    dependencies = [
        ("cases", "0011_survey_answer"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["owner", "status", "solved_at", "id"],
                name="case_owner_finished_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["tier", "status", "solved_at", "id"],
                name="case_tier_finished_idx",
            ),
        ),
    ]
