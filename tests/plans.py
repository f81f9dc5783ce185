"""Asking PostgreSQL for a plan as a live database would make it, from a test.

Two things differ in a test: its tables are nearly empty, which PostgreSQL would scan
sequentially whatever the indexes; and their planner statistics may be those of rows an
earlier test committed and the flush between transactional tests deleted (a DELETE, not a
TRUNCATE: tests/conftest.py), so an index that fits the query can lose to one that fitted
those rows. So: no sequential scan, and the tables analysed as they are in this test (what
autovacuum does on a live database). Both last until the test's transaction ends.
"""

from django.db import connection
from django.db.models import Model


def as_planned_live(*models: type[Model]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
