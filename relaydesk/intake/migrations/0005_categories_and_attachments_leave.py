# Written by hand around what makemigrations proposed.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_attachments_join_cases'),
        ('intake', '0004_rawmessage_one_row_per_delivery'),
        ('org', '0003_categories_join_org'),
    ]

    # What moved to org and cases leaves intake's state.
    # Only Django's picture of the models changes: the tables stay as they are, under their names.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.AlterField(
            model_name='mailrule',
            name='category',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mail_rules', to='org.category'),
        ),
        migrations.RemoveField(
            model_name='intakefield',
            name='category',
        ),
        migrations.RemoveField(
            model_name='realtimetrigger',
            name='category',
        ),
        migrations.DeleteModel(
            name='Attachment',
        ),
        migrations.DeleteModel(
            name='IntakeField',
        ),
        migrations.DeleteModel(
            name='Category',
        ),
        migrations.DeleteModel(
            name='RealtimeTrigger',
        ),
                ],
            database_operations=[],
        ),
    ]
