# Written by hand around what makemigrations proposed.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_partial_indexes_for_empty_columns'),
        ('intake', '0004_rawmessage_one_row_per_delivery'),
        ('org', '0003_categories_join_org'),
    ]

    # Attachments (mail's and uploads') move from intake to cases; cases point at org.Category.
    # Only Django's picture of the models changes: the tables stay as they are, under their names.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.AlterField(
            model_name='case',
            name='category',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='org.category'),
        ),
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('original_name', models.CharField(max_length=255)),
                ('content_type', models.CharField(default='application/octet-stream', max_length=255)),
                ('size', models.PositiveBigIntegerField()),
                ('stored_name', models.CharField(max_length=100, unique=True)),
                ('sha256', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField()),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='attachments', to='cases.case')),
                ('raw_message', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='attachments', to='intake.rawmessage')),
            ],
            options={
                'db_table': 'intake_attachment',
            },
        ),
                ],
            database_operations=[],
        ),
    ]
