"""A seeded database kept between runs of a benchmark: a SQLite file in the temp folder, or a
PostgreSQL template database on the server. Seeding 1M cases takes a minute or two; a restore
takes seconds. The restored database holds what the seed wrote at its moment (saved with it):
a benchmark that depends on the clock reads `restore()`'s answer."""

import json
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path


class SeedCache:
    """`name` tells one benchmark's seed from another's; `key` its size (e.g. "1000000")."""

    def __init__(self, name: str, key: str):
        from bench import database

        self.key = f"{name}_{key}"
        self.server_url = os.environ.get("RELAYDESK_DATABASE_URL", "")  # as bench_database set it
        self.template = f"{database.BENCH_DB_NAME}_seed_{self.key}"
        folder = Path(tempfile.gettempdir())
        self.sqlite_file = folder / f"relaydesk-{name}-seed-{key}.sqlite3"
        self.moment_file = folder / f"relaydesk-{name}-seed-{key}.json"
        if self.server_url:
            self.moment_file = folder / f"relaydesk-seed-{self.template}.json"

    def _admin(self, sql: str) -> None:
        from bench.database import _admin_execute

        _admin_execute(self.server_url, sql)

    def _live_name(self) -> str:
        from django.db import connection

        return connection.settings_dict["NAME"]

    def restore(self) -> datetime | None:
        """Put the cached seed in place of the fresh database; its seeding moment, or None."""
        from django.db import connection

        if not self.moment_file.exists():
            return None
        moment = datetime.fromisoformat(json.loads(self.moment_file.read_text())["moment"])
        live = self._live_name()
        connection.close()
        if connection.vendor == "sqlite":
            if not self.sqlite_file.exists():
                return None
            for suffix in ("-wal", "-shm"):
                Path(f"{live}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.sqlite_file, live)
        else:
            self._admin(f"DROP DATABASE {live} WITH (FORCE)")
            try:
                self._admin(f"CREATE DATABASE {live} TEMPLATE {self.template}")
            except Exception:
                self._admin(f"CREATE DATABASE {live}")
                raise
        return moment

    def save(self, moment: datetime) -> None:
        from django.db import connection

        live = self._live_name()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()
            shutil.copyfile(live, self.sqlite_file)
        else:
            connection.close()
            self._admin(f"DROP DATABASE IF EXISTS {self.template}")
            self._admin(f"CREATE DATABASE {self.template} TEMPLATE {live}")
        self.moment_file.write_text(json.dumps({"moment": moment.isoformat()}))
