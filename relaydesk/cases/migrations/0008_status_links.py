"""Status links kept only as hashes (rule 14), and reply addresses freed from them.

Each case's plain `status_token` becomes a StatusLink holding its SHA-256, so links already
mailed keep working while their case is open; the token itself is then dropped. The reply
address was an HMAC of the pk and that token: `reply_secret` takes the token's value, so the
HMAC input and every reply address already sent stay the same, and rotating a link later
changes neither. New cases get a random reply_secret. Going back works only without cases:
the hashes cannot give the plain tokens back, and the column returns unique.
"""

import hashlib

import django.db.models.deletion
from django.db import migrations, models

import relaydesk.cases.models

BATCH = 2000


def carry_over_tokens(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    StatusLink = apps.get_model("cases", "StatusLink")
    Case.objects.update(reply_secret=models.F("status_token"))
    rows = Case.objects.order_by("pk").values_list("pk", "status_token", "opened_at")
    batch = []
    for case_id, token, opened_at in rows.iterator(chunk_size=BATCH):
        token_hash = hashlib.sha256(token.encode()).hexdigest()
        batch.append(StatusLink(case_id=case_id, token_hash=token_hash, created_at=opened_at))
        if len(batch) >= BATCH:
            StatusLink.objects.bulk_create(batch)
            batch = []
    StatusLink.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_notification_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="reply_secret",
            field=models.CharField(default=relaydesk.cases.models.new_token, max_length=64),
        ),
        migrations.AlterField(
            model_name="event",
            name="kind",
            field=models.CharField(
                choices=[
                    ("opened", "Opened"),
                    ("acknowledged", "Acknowledgement sent"),
                    ("taken", "Taken"),
                    ("passed", "Passed"),
                    ("note", "Note"),
                    ("replied", "Reply sent"),
                    ("customer_wrote", "Customer wrote"),
                    ("field_changed", "Field changed"),
                    ("solved", "Solved"),
                    ("reopened", "Reopened"),
                    ("closed", "Closed"),
                    ("escalated", "Escalated"),
                    ("tickled", "Tickled"),
                    ("warning", "Warning"),
                    ("goodwill", "Goodwill"),
                    ("survey", "Survey answer"),
                    ("bounced", "Mail bounced"),
                    ("mail_attached", "Mail attached"),
                    ("link_rotated", "Status link rotated"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="StatusLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField()),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="status_links",
                        to="cases.case",
                    ),
                ),
            ],
        ),
        migrations.RunPython(carry_over_tokens, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(
            model_name="case",
            name="status_token",
        ),
    ]
