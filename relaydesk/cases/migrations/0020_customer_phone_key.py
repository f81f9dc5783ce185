"""Customer lookup at scale (issue 17, find anything): `phone_key` (a phone's digits, last
first) so "the number ends in …" is an index range, filled for existing rows; on PostgreSQL a
trigram index on the upper-cased name, which serves `name__icontains`/`istartswith`
(Django's UPPER(name) LIKE UPPER(…)). SQLite has no such index; there a name is a scan of
the customers table (docs/performance.md)."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations, models
from django.db.models.functions import Upper

BATCH = 2000


def name_index() -> GinIndex:
    return GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="customer_name_trgm_idx")


def fill_phone_keys(apps, schema_editor):
    Customer = apps.get_model("cases", "Customer")
    rows = Customer.objects.exclude(phone="").only("id", "phone").order_by("id")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        row.phone_key = "".join(ch for ch in reversed(row.phone) if ch.isdigit())
        batch.append(row)
        if len(batch) == BATCH:
            Customer.objects.bulk_update(batch, ["phone_key"])
            batch = []
    Customer.objects.bulk_update(batch, ["phone_key"])


def add_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("cases", "Customer"), name_index())


def drop_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("cases", "Customer"), name_index())


class Migration(migrations.Migration):
    # pg_trgm comes with the case index (problems 0003; Django's TrigramExtension cannot be
    # reversed on SQLite, which the migration tests do).
    dependencies = [("cases", "0019_spell_solves"), ("problems", "0003_search")]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="phone_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=40),
        ),
        migrations.RunPython(fill_phone_keys, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_name_index, drop_name_index),
    ]
