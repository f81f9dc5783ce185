"""The cast every test can use, and the rules for what may be skipped.

The cast (one per tier, bottom up), all on duty and covering every category unless a test
changes that:
- fran, fiona: frontline; take intake calls, may take only frontline cases.
- sam: specialist; may take frontline and specialist cases.
- eve: expert.
- mia: manager; lead of fran and sam.
- ed: executive; on the executive rota.
"""

import os
import shutil
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from relaydesk.org.models import Category, Company, Tier
from tests import factories

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server with Playwright's sync API


OTHER_ENGINE = pytest.StashKey[tuple[str, int]]()  # the engine whose tests were left out, how many


def on_postgresql() -> bool:
    return bool(os.environ.get("RELAYDESK_TEST_DATABASE_URL"))


def _flush_by_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """PostgreSQL's flush between transactional tests (live server, mail, threads): DELETE from
    each table in one transaction, as Django flushes SQLite, instead of one TRUNCATE. A TRUNCATE
    of the ~50 tables makes new files for every table and index and takes exclusive locks: 2-3 s
    a test on the shared machine (load 12-14), where the DELETEs of a test's few rows took
    0.05-0.15 s (tests/mail/test_smtp_intake.py: 238 s -> 92 s). The tables end as empty either
    way: foreign keys are checked at the commit (Django's are deferrable), and the rows' triggers
    run as when the product deletes (the search table loses each deleted case's row, as
    TRUNCATE's trigger empties it).
    A flush that must restart sequences or cascade to tables left out is still a TRUNCATE."""
    if not tables or reset_sequences or allow_cascade:
        return _truncate(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    delete = f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')}"
    return ["SET CONSTRAINTS ALL DEFERRED;"] + [
        f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
    ]


if on_postgresql():
    from django.db.backends.postgresql.operations import DatabaseOperations

    _truncate = DatabaseOperations.sql_flush
    DatabaseOperations.sql_flush = _flush_by_delete


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests run in the PostgreSQL run of the suite, not in the SQLite one;
    SQLite-only tests (what only SQLite does) the other way round."""
    other = "sqlite" if on_postgresql() else "pg"
    kept, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker(other) else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
        config.stash[OTHER_ENGINE] = (other, len(deselected))


def pytest_unconfigure(config):
    """Remove the throwaway home tests/settings.py made (attachments, mail files, the SQLite
    test database's folder), once, in the process that made it."""
    from django.conf import settings

    home = getattr(settings, "THROWAWAY_HOME", None) if settings.configured else None
    if home and not hasattr(config, "workerinput"):
        shutil.rmtree(home, ignore_errors=True)


def pytest_terminal_summary(terminalreporter, config):
    other, count = config.stash.get(OTHER_ENGINE, ("", 0))
    if other == "sqlite":
        terminalreporter.write_line(
            f"{count} SQLite-only tests run without RELAYDESK_TEST_DATABASE_URL."
        )
    elif count:
        terminalreporter.write_line(
            f"{count} PostgreSQL-only tests run when RELAYDESK_TEST_DATABASE_URL points at a "
            "PostgreSQL server, e.g. postgresql://postgres@127.0.0.1:5432/test (see README)."
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (RELAYDESK_NO_SKIP=1) a skip is a failure: nothing may be skipped there."""
    outcome = yield
    report = outcome.get_result()
    if (
        os.environ.get("RELAYDESK_NO_SKIP") == "1"
        and report.skipped
        and not hasattr(report, "wasxfail")
    ):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped in CI, which must run everything: {reason}"


@dataclass
class Cast:
    company: Company
    tiers: dict[str, Tier]
    billing: Category
    fran: User
    fiona: User
    sam: User
    eve: User
    mia: User
    ed: User


@pytest.fixture
def cast(db) -> Cast:
    company = factories.make_company()
    tiers = factories.make_tiers()
    billing = factories.make_category(
        fields=[
            {"key": "invoice", "label": "Invoice number", "type": "short_text", "required": True},
            {"key": "amount", "label": "Amount charged", "type": "number", "required": False},
        ],
        triggers=[("travel_today", "Is the customer travelling within 24 hours?")],
    )
    mia = factories.make_staff("mia", tiers["manager"], name="Mia Manager")
    people = {
        "fran": factories.make_staff("fran", tiers["frontline"], name="Fran Okafor", lead=mia),
        "fiona": factories.make_staff("fiona", tiers["frontline"], name="Fiona Front", lead=mia),
        "sam": factories.make_staff("sam", tiers["specialist"], name="Sam Special", lead=mia),
        "eve": factories.make_staff("eve", tiers["expert"], name="Eve Expert", lead=mia),
        "ed": factories.make_staff("ed", tiers["executive"], name="Ed Exec"),
    }
    return Cast(
        company=company,
        tiers=tiers,
        billing=billing,
        mia=mia.user,
        **{name: staff.user for name, staff in people.items()},
    )


@pytest.fixture
def damage(cast, settings, tmp_path):
    """A category with a required file field (photo), an optional text field and a realtime
    question; uploaded files land under this test's tmp_path."""
    settings.MEDIA_ROOT = tmp_path
    return factories.make_category(
        "damage",
        "Damaged goods",
        fields=[
            {"key": "order", "label": "Order number", "type": "short_text"},
            {"key": "photo", "label": "Photo of the damage", "type": "file", "required": True},
        ],
        triggers=[("gift_today", "Is it a gift you must give today?")],
    )
