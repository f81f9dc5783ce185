"""Asking PostgreSQL for a plan as a live database would make it, from a test.

Two things differ in a test: its tables are nearly empty, which PostgreSQL would scan
sequentially whatever the indexes; and their statistics and indexes may still carry rows an
earlier test committed and the flush between transactional tests deleted (a DELETE, not a
TRUNCATE: tests/conftest.py): the statistics count them and the indexes keep their pages, so
an index that fits the query can lose to one that fitted those rows. So: no sequential scan,
and the tables' indexes rebuilt and analysed from the rows this test has (as a freshly
loaded database has them). All of it ends with the test's transaction.
"""

from django.db import connection
from django.db.models import Model


def as_planned_live(*models: type[Model]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"REINDEX TABLE {table}")
            cursor.execute(f"ANALYZE {table}")
