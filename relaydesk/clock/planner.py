"""Fresh planner statistics on SQLite: a worker step, at most once an hour.

SQLite keeps no statistics until ANALYZE runs. Without them its planner guesses that
`status = 'open'` matches a handful of rows, so the sweeps leave their partial indexes
(case_escalation_due_idx, case_tickle_due_idx, outbox_due_idx) for a status index and sort
every open case: an idle escalation sweep took 54 ms at 50,000 open cases without statistics
and 0.06 ms with them. `PRAGMA analysis_limit` bounds the work (each index is sampled, not
read whole), so the step costs milliseconds at a million cases. PostgreSQL keeps its own
statistics (autovacuum), so there the step does nothing.

A PRAGMA is not something the ORM can say; this module holds the product's only statement
written by hand outside full-text search.
"""

from datetime import datetime, timedelta

from django.db import connection

from relaydesk.timekeeping import now

EVERY = timedelta(hours=1)
ANALYSIS_LIMIT = (
    1000  # rows sampled per index (https://sqlite.org/pragma.html#pragma_analysis_limit)
)

last_refresh: dict[str, datetime] = {}  # per database alias, in this process


def refresh_statistics() -> None:
    """ANALYZE every table, sampling, on SQLite; nothing on PostgreSQL."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")


def handle_planner_statistics() -> bool:
    """Refresh the statistics when the last refresh in this process is an hour old.

    Never "did work": the loop must not spin on it."""
    moment = now()
    last = last_refresh.get(connection.alias)
    if connection.vendor == "sqlite" and (last is None or moment - last >= EVERY):
        refresh_statistics()
        last_refresh[connection.alias] = moment
    return False
