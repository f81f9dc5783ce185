# Written by hand around what makemigrations proposed.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0004_rawmessage_one_row_per_delivery'),
        ('org', '0002_weekly_rotation'),
    ]

    # Categories, their intake fields and realtime triggers move from intake to org.
    # Only Django's picture of the models changes: the tables stay as they are, under their names.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='Category',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(unique=True)),
                ('name', models.CharField(max_length=100)),
                ('solve_window_minutes', models.PositiveIntegerField(default=1200)),
                ('tickle_after_minutes', models.PositiveIntegerField(default=240)),
                ('active', models.BooleanField(default=True)),
                ('position', models.PositiveIntegerField(default=0)),
                ('mail_address', models.EmailField(blank=True, help_text='Mail sent to this address (e.g. billing@acme.example) opens cases here.', max_length=320)),
            ],
            options={
                'verbose_name_plural': 'categories',
                'db_table': 'intake_category',
                'ordering': ['position', 'name'],
            },
        ),
        migrations.AlterField(
            model_name='staff',
            name='skills',
            field=models.ManyToManyField(blank=True, related_name='skilled_staff', to='org.category'),
        ),
        migrations.CreateModel(
            name='IntakeField',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField()),
                ('label', models.CharField(max_length=200)),
                ('help_text', models.CharField(blank=True, max_length=300)),
                ('type', models.CharField(choices=[('short_text', 'Short text'), ('long_text', 'Long text'), ('number', 'Number'), ('date', 'Date'), ('choice', 'Choice'), ('email', 'Email'), ('phone', 'Phone'), ('file', 'File')], default='short_text', max_length=20)),
                ('required', models.BooleanField(default=False)),
                ('choices', models.JSONField(blank=True, default=list)),
                ('position', models.PositiveIntegerField(default=0)),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='fields', to='org.category')),
            ],
            options={
                'db_table': 'intake_intakefield',
                'ordering': ['position', 'id'],
                'constraints': [models.UniqueConstraint(fields=('category', 'key'), name='intake_field_key_per_category')],
            },
        ),
        migrations.CreateModel(
            name='RealtimeTrigger',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField()),
                ('question', models.CharField(max_length=300)),
                ('position', models.PositiveIntegerField(default=0)),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='realtime_triggers', to='org.category')),
            ],
            options={
                'db_table': 'intake_realtimetrigger',
                'ordering': ['position', 'id'],
                'constraints': [models.UniqueConstraint(fields=('category', 'key'), name='trigger_key_per_category')],
            },
        ),
                ],
            database_operations=[],
        ),
    ]
