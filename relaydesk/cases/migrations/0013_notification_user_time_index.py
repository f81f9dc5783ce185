from django.db import migrations, models


class Migration(migrations.Migration):
    """The bell's page (relaydesk.web.notifications): a person's newest lines already read."""

    dependencies = [
        ("cases", "0012_finished_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["user", "created_at"], name="notification_user_time_idx"),
        ),
    ]
