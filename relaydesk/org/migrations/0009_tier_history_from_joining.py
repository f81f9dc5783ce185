"""Every person's tier history starts at their first tier (relaydesk.org.actions writes it from
now on): staff without a line get one for the tier they hold, dated when their login was made
(User.date_joined), the earliest moment the installation knows them by."""

from django.db import migrations


def backfill(apps, schema_editor):
    Staff = apps.get_model("org", "Staff")
    TierHistory = apps.get_model("org", "TierHistory")
    without = Staff.objects.filter(tier_history__isnull=True).select_related("user")
    TierHistory.objects.bulk_create(
        TierHistory(staff=staff, tier_id=staff.tier_id, since=staff.user.date_joined)
        for staff in without.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0008_goodwill_currency_budget_and_limits"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
