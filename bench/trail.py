"""The month-end trail's speed: `compute_trail` of one month inside a long history.

    python -m bench.trail [--history N] [--month-cases N] [--runs N]
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench.trail

Goal (issue 16): a month holding 100k cases and about 1M events, inside a history of 1M
cases, in ≤ 1 s (p95 of 5 runs) with the process growing ≤ 100 MB.

Every case is a whole story, about ten events as the actions write them: the opening and its
acknowledgement, replies (some sent anyway, some waiting for the customer and resumed when
they answer), the customer's words, notes, tickles, passes up (bare when nothing was done
first), takes, escalations at the deadline, solves (a third linking one of 50 problems),
survey answers (one solve in five; two in five of those delighted) and closes. The history's
last four weeks (1/13 of --history) are written case by case, then copied inside the
database twelve times, four weeks further back each (a year; 2% of its cases still open, so
the month starts with cases held); the month is written case by case. Raw bulk inserts
(executemany on SQLite, COPY on PostgreSQL; INSERT … SELECT for the copies), as in
bench/seed.py (hand-written SQL is allowed in bench/ only), with the search index's
triggers suspended. The ownership spells and daily counts the actions would have kept are
written with them, by the rebuild's own rules (cases.spells.replay, cases.day_counts
.increments), which the spells' and day counts' tests hold equal to the actions'.

The seeded database is kept (bench.seed_cache: a SQLite file in the temp folder, a
PostgreSQL template database) for the next run of the same sizes, which restores it in
seconds to minutes and migrates it; bench.trail_pages shares it.
"""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.report import heading, latency_line, percentile

MONTH = "2026-11"
ZONE = "Europe/Amsterdam"


def _rss_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    """Start VmHWM (the peak resident size) again from now (Linux ≥ 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


class _SpellValues:
    """What cases.spells.replay makes a spell with: its values in the model's field order, as
    a tuple (a model instance a spell costs more than the raw insert that follows)."""

    _meta = None  # set below, once the models are loaded

    def __new__(cls, *values):
        return values


class StoryWriter:
    """Bulk-writes cases and their events, about ten a case, and the derived rows the actions
    would have kept with them: the ownership spells (cases.spells.replay, the rebuild's own
    rules, over each batch's events) and the daily counts (cases.day_counts.increments, summed
    by local day, actor and tier). Raw inserts (executemany on SQLite, COPY on PostgreSQL), as
    bench/seed.py does; the equality of these rules with the actions' is what
    tests/cases/test_spells.py and test_day_counts.py hold."""

    BATCH = 20_000  # cases generated and written at a time

    def __init__(self, org, rng: random.Random):
        from django.db import connection

        from bench.seed import _next_id, _Table
        from relaydesk.cases.models import Case, Customer, Event, Spell, SurveyAnswer
        from relaydesk.problems.models import Problem

        self.org, self.rng = org, rng
        self.zone = ZoneInfo(ZONE)
        self.by_tier: dict[int, list[int]] = {}
        for user_id, tier_id in org.staff:
            self.by_tier.setdefault(org.tier_ranks[tier_id], []).append(user_id)
        self.tier_of = dict(org.staff)
        first = datetime(2025, 1, 1, tzinfo=UTC)
        self.problems = [
            Problem.objects.create(title=f"Bench problem {n}", created_at=first).pk
            for n in range(50)
        ]
        self.case_id, self.event_id = _next_id(Case), _next_id(Event)
        self.answer_id, self.spell_id = _next_id(SurveyAnswer), _next_id(Spell)
        self.customer_id = _next_id(Customer)
        self.customers = _Table(Customer, ["id", "name", "email", "phone", "created_at"])
        self.cases = _Table(
            Case,
            [
                *("id", "customer_id", "category_id", "subject", "details", "channel"),
                *("status", "owner_id", "tier_id", "realtime", "opened_at", "opening"),
                *("deadline", "escalated", "last_activity_at", "owner_active_at"),
                *("solved_at", "solved_by_id", "problem_id", "reply_secret"),
            ],
        )
        self.events = _Table(
            Event,
            [
                *("id", "case_id", "kind", "actor_id", "at", "from_owner_id", "to_owner_id"),
                *("from_tier_id", "to_tier_id", "reason", "body", "data"),
            ],
        )
        self.answers = _Table(
            SurveyAnswer,
            [
                *("id", "case_id", "opening", "solved_by_id", "rating", "delighted", "fix"),
                "answered_at",
            ],
        )
        self.spell_columns = [f.attname for f in Spell._meta.concrete_fields]
        self.spells = _Table(Spell, self.spell_columns)
        self.sqlite = connection.vendor == "sqlite"
        self.event_rows: list[tuple] = []
        self.case_rows: list[tuple] = []
        self.answer_rows: list[tuple] = []
        self.day_counts: dict[tuple, dict[str, int]] = {}
        self.written = {"cases": 0, "events": 0, "spells": 0}
        # The template's counted events (moment, actor, tier, adds), for its copies' days.
        self.template_counts: list[tuple] | None = None

    def start_ids_above(self, copies: int, cases: int) -> dict[str, int]:
        """Leave room below for `copies` copies of a template of `cases` cases (ids follow the
        clock: an older copy has lower ids). Returns each table's room a copy (its slot)."""
        slots = {"case": cases, "event": 25 * cases, "spell": 5 * cases, "answer": cases}
        self.case_id += copies * slots["case"]
        self.event_id += copies * slots["event"]
        self.spell_id += copies * slots["spell"]
        self.answer_id += copies * slots["answer"]
        return slots

    def stamp(self, moment: datetime):
        """A moment as the raw insert takes it: SQLite holds Django's naive UTC text (every
        moment here is in UTC, so its text less the "+00:00")."""
        if not self.sqlite:
            return moment
        if moment.utcoffset():
            moment = moment.astimezone(UTC)
        return str(moment)[:-6]

    def value(self, value):
        """A spell's value as the raw insert takes it (SQLite: text times, microseconds)."""
        if not self.sqlite:
            return value
        if isinstance(value, datetime):
            return self.stamp(value)
        if isinstance(value, timedelta):
            return value // timedelta(microseconds=1)
        return value

    def event(self, case_id, kind, at, actor=None, *, frm=None, to=None, data=None, body=""):
        """Kept until the batch is written, which numbers its events in time order, as the
        actions do (ids follow the clock, so a month's events lie together on disk)."""
        frm_tier = self.tier_of.get(frm) if frm else None
        to_tier = self.tier_of.get(to) if to else None
        reason = {"passed": "needs_expertise", "escalated": "deadline"}.get(kind, "")
        data = data or {}
        self.event_rows.append(
            (
                at,
                len(self.event_rows),
                case_id,
                kind,
                actor,
                frm,
                to,
                frm_tier,
                to_tier,
                reason,
                body,
                data,
            )
        )

    def person(self, rank: int) -> int:
        people = self.by_tier[rank]
        return people[self.rng.randrange(len(people))]

    def one_case(  # noqa: C901 - one case's story
        self, customer_id: int, at: datetime, solve_share: float
    ) -> None:
        rng, cid = self.rng, self.case_id
        opened_at = at
        realtime = rng.random() < 0.05
        deadline = at + timedelta(hours=1 if realtime else 20)
        owner = self.person(0 if rng.random() < 0.8 else 1)
        category = self.org.category_ids[rng.randrange(len(self.org.category_ids))]
        self.event(
            cid,
            "opened",
            at,
            owner,
            to=owner,
            data={"channel": "email", "realtime": realtime, "deadline": deadline.isoformat()},
        )
        self.event(cid, "acknowledged", at)

        def later(hours: float) -> datetime:  # whole seconds, as the copies keep them
            return at + timedelta(seconds=round(rng.uniform(0.05, hours) * 3600))

        escalated = False
        if rng.random() < 0.6:
            at = later(2)
            self.event(cid, "note", at, owner, body="Checked the booking.")
        if rng.random() < 0.7:
            at = later(2)
            anyway = rng.random() < 0.05
            self.event(cid, "replied", at, owner, data={"send_anyway": anyway, "waiting": False})
            at = later(3)
            self.event(cid, "customer_wrote", at, data={"verified": True})
        if rng.random() < 0.5:
            at = later(2)
            self.event(cid, "field_changed", at, owner, data={"changes": {}})
        for _ in range(2 if rng.random() < 0.7 else 0):  # the conversation goes on
            at = later(4)
            self.event(cid, "replied", at, owner, data={"send_anyway": False, "waiting": False})
            at = later(6)
            self.event(cid, "customer_wrote", at, data={"verified": True})
        if rng.random() < 0.4:  # passed up; bare when nothing was done first (about 1 in 8)
            up = self.person(min(self.org.tier_ranks[self.tier_of[owner]] + 1, 4))
            at = later(3)
            self.event(cid, "passed", at, owner, frm=owner, to=up, data={"direction": "up"})
            owner = up
        if rng.random() < 0.05:
            taker = self.person(self.org.tier_ranks[self.tier_of[owner]])
            if taker != owner:
                at = later(1)
                self.event(cid, "taken", at, taker, frm=owner, to=taker)
                owner = taker
        if rng.random() < 0.15:  # waits for the customer, who answers within a day
            at = later(2)
            self.event(cid, "replied", at, owner, data={"send_anyway": False, "waiting": True})
            since = at
            at = later(24)
            waited = int((at - since).total_seconds())
            self.event(cid, "customer_wrote", at, data={"verified": True})
            self.event(
                cid,
                "resumed",
                at,
                data={
                    "by": "customer",
                    "waiting_since": since.isoformat(),
                    "waited_seconds": waited,
                },
            )
            deadline += at - since
        if rng.random() < 0.8:
            at = later(5)
            self.event(cid, "tickled", at, to=owner, data={"count": 1})
        if rng.random() < 0.05 and at < deadline:
            executive = self.person(4)
            at = deadline
            self.event(
                cid,
                "escalated",
                at,
                frm=owner,
                to=executive,
                data={"deadline": deadline.isoformat(), "opening": 1},
            )
            owner, escalated = executive, True
        solved = rng.random() < solve_share
        solved_at = problem = None
        status = "open"
        if solved:
            at = solved_at = later(6)
            problem = self.problems[rng.randrange(50)] if rng.random() < 0.33 else None
            self.event(
                cid,
                "solved",
                at,
                owner,
                frm=owner,
                data={
                    "problem_id": problem,
                    "one_off_reason": "" if problem else "Once",
                    "before_deadline": at <= deadline,
                },
            )
            status = "solved"
            if rng.random() < 0.2:
                at = later(30)
                rating = 5 if rng.random() < 0.4 else rng.choice([3, 4])
                self.answer_rows.append(
                    (self.answer_id, cid, 1, owner, rating, "Quick and kind.", "", self.stamp(at))
                )
                self.event(
                    cid,
                    "survey",
                    at,
                    to=owner,
                    data={"answer_id": self.answer_id, "opening": 1, "rating": rating},
                )
                self.answer_id += 1
            if rng.random() < 0.3:
                at = later(48)
                self.event(cid, "closed", at)
                status = "closed"
        self.case_rows.append(
            (
                *(cid, customer_id, category, "Charged twice for my season ticket"),
                *(json.dumps({"reference": f"REF-{cid}"}), "email", status, owner),
                *(self.tier_of[owner], realtime, self.stamp(opened_at), 1),
                *(self.stamp(deadline), escalated, self.stamp(at), self.stamp(at)),
                self.stamp(solved_at) if solved_at else None,
                *(owner if solved else None, problem, f"{cid:012x}.bench"),
            )
        )
        self.case_id += 1

    def write_customers(self, n: int) -> list[int]:
        first = self.customer_id
        moment = self.stamp(datetime(2025, 1, 1, tzinfo=UTC))
        self.customers.insert(
            [
                (first + k, f"Customer {first + k}", f"c{first + k}@example.com", "", moment)
                for k in range(n)
            ]
        )
        self.customer_id += n
        return list(range(first, first + n))

    def write(
        self, n: int, customers: list[int], start: datetime, end: datetime, solve_share: float
    ) -> None:
        """`n` cases opened between start and end (their stories may run past it)."""
        span = (end - start).total_seconds()
        openings = sorted(round(self.rng.uniform(0, span)) for _ in range(n))
        for first in range(0, n, self.BATCH):
            for offset in openings[first : first + self.BATCH]:
                customer = customers[self.rng.randrange(len(customers))]
                self.one_case(customer, start + timedelta(seconds=offset), solve_share)
            self._flush()
            print(
                f"\r[trail] {self.written['cases']:,} cases, {self.written['events']:,} events, "
                f"{self.written['spells']:,} spells",
                end="",
                file=sys.stderr,
                flush=True,
            )
        print(file=sys.stderr)

    def _flush(self) -> None:
        """Write the batch: cases, events numbered in time order, survey answers, spells."""
        self.event_rows.sort(key=lambda row: (row[0], row[1]))
        numbered = [(self.event_id + k, *row) for k, row in enumerate(self.event_rows)]
        self.event_id += len(numbered)
        self.cases.insert(self.case_rows)
        self.events.insert(
            [
                (
                    eid,
                    case,
                    kind,
                    actor,
                    self.stamp(at),
                    frm,
                    to,
                    ft,
                    tt,
                    reason,
                    body,
                    "{}" if not data else json.dumps(data),
                )
                for eid, at, _, case, kind, actor, frm, to, ft, tt, reason, body, data in numbered
            ]
        )
        if self.answer_rows:
            self.answers.insert(self.answer_rows)
        self._spells(numbered)
        self._count(numbered)
        self.written["cases"] += len(self.case_rows)
        self.written["events"] += len(numbered)
        self.case_rows, self.event_rows, self.answer_rows = [], [], []

    def _spells(self, numbered: list[tuple]) -> None:
        from relaydesk.cases import spells
        from relaydesk.cases.models import Spell

        kinds = spells.RECEIVING | spells.ENDING | spells.ACTS
        rows = sorted(
            (
                spells.EventRow(
                    eid,
                    case,
                    kind,
                    actor,
                    at,
                    frm,
                    to,
                    ft,
                    tt,
                    data.get("direction"),
                    data.get("left"),
                    data.get("problem_id"),
                )
                for eid, at, _, case, kind, actor, frm, to, ft, tt, _r, _b, data in numbered
                if kind in kinds
            ),
            key=lambda row: (row.case_id, row.id),
        )
        _SpellValues._meta = Spell._meta
        made = spells.replay(rows, _SpellValues)
        values = [
            (self.spell_id + number, *(self.value(value) for value in spell[1:]))
            for number, spell in enumerate(made)
        ]
        self.spell_id += len(values)
        self.spells.insert(values)
        self.written["spells"] += len(values)

    def _count(self, numbered: list[tuple]) -> None:
        from relaydesk.cases import day_counts

        for _, at, _, _, kind, actor, _, _, ft, _, _, _, data in numbered:
            if kind not in day_counts.COUNTED:
                continue
            adds = day_counts.increments(kind, data)
            if adds:
                self._add_day(at, actor, ft, adds)
                if self.template_counts is not None:
                    self.template_counts.append((at, actor, ft, adds))

    def _add_day(self, at: datetime, actor, tier, adds: dict[str, int]) -> None:
        row = self.day_counts.setdefault((at.astimezone(self.zone).date(), actor, tier), {})
        for name, n in adds.items():
            row[name] = row.get(name, 0) + n

    def copy_back(self, first: dict[str, int], slots: dict[str, int], copies: int, days: int):
        """Copy the template (the rows from the ids `first` up to the next ones) `copies`
        times, each `days` further back in time, inside the database (INSERT … SELECT: the
        Python that wrote the template once would take an hour for a year here). The
        copies' ids are the template's less a slot each; their event data keep the template's
        words (a deadline named in an escalation's data is the template's, a year of history
        before the month that no month's figure reads). Their daily counts are the template
        events' counts on the copies' own local days."""
        from relaydesk.cases.models import Case, Event, Spell, SurveyAnswer

        last = {
            "case": self.case_id,
            "event": self.event_id,
            "spell": self.spell_id,
            "answer": self.answer_id,
        }
        tables = [
            (Case, "case", {"id": "case"}),
            (Event, "event", {"id": "event", "case_id": "case"}),
            (SurveyAnswer, "answer", {"id": "answer", "case_id": "case"}),
            (
                Spell,
                "spell",
                {
                    "id": "spell",
                    "case_id": "case",
                    "start_event_id": "event",
                    "end_event_id": "event",
                },
            ),
        ]
        for copy in range(1, copies + 1):
            for model, own, keys in tables:
                self._copy_rows(model, keys, copy, slots, days * copy, first[own], last[own])
            for at, actor, tier, adds in self.template_counts or []:
                self._add_day(at - timedelta(days=days * copy), actor, tier, adds)
            print(
                f"\r[trail] {copy}/{copies} copies of the history's template",
                end="",
                file=sys.stderr,
                flush=True,
            )
        print(file=sys.stderr)

    def _copy_rows(self, model, keys, copy, slots, days, first, last) -> None:
        from django.db import connection, models

        quote = connection.ops.quote_name
        columns, values = [], []
        for field in model._meta.concrete_fields:
            column = quote(field.column)
            columns.append(column)
            if field.attname in keys:
                values.append(f"{column} - {copy * slots[keys[field.attname]]}")
            elif isinstance(field, models.DateTimeField):
                values.append(
                    f"datetime({column}, '-{days} days')"
                    if self.sqlite
                    else f"{column} - interval '{days} days'"
                )
            else:
                values.append(column)
        table = quote(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
                f"FROM {table} WHERE id >= {first} AND id < {last} ORDER BY id"
            )

    def finish(self) -> int:
        """The daily counts, summed over everything written; returns how many rows."""
        from bench.seed import _next_id, _Table
        from relaydesk.cases import day_counts
        from relaydesk.cases.models import DayCount

        table = _Table(DayCount, ["id", "key", "day", "person_id", "tier_id", *day_counts.FIELDS])
        first = _next_id(DayCount)
        rows = [
            (
                first + number,
                day_counts.key_of(day, actor, tier),
                str(day) if self.sqlite else day,
                actor,
                tier,
                *(adds.get(name, 0) for name in day_counts.FIELDS),
            )
            for number, ((day, actor, tier), adds) in enumerate(self.day_counts.items())
        ]
        table.insert(rows)
        return len(rows)


def seed_month(history: int, month_cases: int) -> None:
    """The history (`history` cases over the year before the month) and the month, with their
    spells and daily counts; kept between runs in a seed cache (bench.seed_cache), so a
    second run of the same sizes restores it in seconds instead of seeding again."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench.database import analyze, flush_postgresql, flush_sqlite
    from bench.seed import _reset_sequences, make_org
    from bench.seed_cache import SeedCache
    from relaydesk.cases.models import Case, Customer, DayCount, Event, Spell, SurveyAnswer
    from relaydesk.insights.months import parse_month
    from relaydesk.problems.models import Problem
    from relaydesk.problems.search import ensure_installed, suspend_triggers

    month = parse_month(MONTH, ZONE)
    cache = SeedCache("trail", f"{history}_{month_cases}_stories")
    began = time.perf_counter()
    if cache.restore() is not None:
        call_command("migrate", verbosity=0)  # any migration newer than the cached seed
        print(
            f"[trail] seed restored from its cache in {time.perf_counter() - began:.0f} s",
            file=sys.stderr,
        )
        return
    org = make_org()
    suspend_triggers(connection)  # the search index is refilled once at the end, not per row
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1048576")  # 1 GB: index updates in memory
            cursor.execute("PRAGMA synchronous = OFF")
    writer = StoryWriter(org, random.Random(16))
    # The history: its last four weeks written case by case (the template), then copied
    # inside the database twelve times, four weeks further back each: 364 days in all.
    copies, weeks = 12, 4
    template = history // (copies + 1)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Django's foreign keys are deferred: checked at COMMIT, one lookup each for
                # ten million events and their spells took longer than writing them (seen:
                # over ten minutes). The rows are written consistent; this throwaway
                # database's load skips the checks (the session's triggers off; superuser).
                cursor.execute("SET LOCAL session_replication_role = replica")
        customers = writer.write_customers(max(1, (history + month_cases) // 10))
        slots = writer.start_ids_above(copies, template)
        first = {
            "case": writer.case_id,
            "event": writer.event_id,
            "spell": writer.spell_id,
            "answer": writer.answer_id,
        }
        writer.template_counts = []
        writer.write(
            template,
            customers,
            month.start_utc - timedelta(weeks=weeks),
            month.start_utc - timedelta(hours=1),
            solve_share=0.98,
        )
        writer.copy_back(first, slots, copies, days=7 * weeks)
        writer.template_counts = None
        writer.write(
            month_cases,
            customers,
            month.start_utc,
            month.end_utc - timedelta(days=4),
            solve_share=0.85,
        )
        counts = writer.finish()
        _reset_sequences([Customer, Case, Event, SurveyAnswer, Problem, Spell, DayCount])
    seeded = time.perf_counter() - began
    print(
        f"[trail] {writer.written['cases']:,} cases, {writer.written['events']:,} events, "
        f"{writer.written['spells']:,} spells, {counts:,} daily counts written in "
        f"{seeded:.0f} s",
        file=sys.stderr,
    )
    ensure_installed(connection)  # the search index's triggers back, the index refilled
    analyze()
    flush_sqlite()
    flush_postgresql()
    if connection.vendor == "sqlite":
        connection.close()  # back to the product's connection settings
    print(
        f"[trail] indexed, analysed and flushed in {time.perf_counter() - began - seeded:.0f} s",
        file=sys.stderr,
    )
    cache.save(month.start_utc)


def _events_walk(month) -> None:
    """For comparison: the month's walk of events that the daily counts replace (the trail's
    solves, passes, takes, replies, openings and escalations as read before cases 0018)."""
    from relaydesk.cases import day_counts
    from relaydesk.cases.models import Event

    walks = []
    for _ in range(3):
        began = time.perf_counter()
        list(
            Event.objects.filter(
                at__gte=month.start_utc, at__lt=month.end_utc, kind__in=day_counts.COUNTED
            )
            .values("actor", "from_tier")
            .annotate(**day_counts.tallies())
            .order_by()
        )
        walks.append(time.perf_counter() - began)
    best = min(walks) * 1000
    print(f"the same counts from the month's events instead: {best:.0f} ms (best of 3)")


def _load() -> str:
    with open("/proc/loadavg") as load:
        return " ".join(load.read().split()[:3])


class MemoryWatch:
    """Samples the process's resident memory every few milliseconds in a thread: the peak
    growth of its private memory (RssAnon: the heap, SQLite's page cache, the driver's
    buffers) and of the file pages it has mapped (RssFile: the SQLite database read through
    mmap, RELAYDESK_SQLITE_MMAP_MB; pages the kernel's cache holds anyway and may drop)."""

    def __init__(self) -> None:
        import threading

        self.base = {name: _rss_kb(name) for name in ("RssAnon", "RssFile")}
        self.peak = dict(self.base)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self.stop.wait(0.002):
            for name in self.peak:
                self.peak[name] = max(self.peak[name], _rss_kb(name))

    def __enter__(self) -> "MemoryWatch":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def growth_mb(self, name: str) -> float:
        return (self.peak[name] - self.base[name]) / 1024


def _memory(month, watch: MemoryWatch, whole_mb: float) -> None:
    """What the timed runs grew the process by (RSS, from before the first), and one more run
    under tracemalloc (Python's own heap; slower, so not among the timed runs)."""
    import tracemalloc

    from relaydesk.insights.trail import as_report, compute_trail

    tracemalloc.start()
    as_report(compute_trail(month))
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"memory: the process's resident size grew {whole_mb:.1f} MB at its peak over the "
        f"runs (goal ≤ 100 MB): its private memory (heap, SQLite's page cache) by "
        f"{watch.growth_mb('RssAnon'):.1f} MB, the database file pages it maps by "
        f"{watch.growth_mb('RssFile'):.1f} MB; Python's heap at its peak in a run "
        f"(tracemalloc) {heap_peak / 1024 / 1024:.1f} MB; load {_load()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--history", type=int, default=900_000, help="cases before the month")
    parser.add_argument("--month-cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from bench.database import bench_database

    with bench_database() as engine:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from relaydesk.cases.models import Case, Event
        from relaydesk.insights.months import parse_month
        from relaydesk.insights.trail import as_report, compute_trail

        seed_month(args.history, args.month_cases)
        month = parse_month(MONTH, ZONE)
        in_month = Event.objects.filter(at__gte=month.start_utc, at__lt=month.end_utc).count()
        heading(f"the trail of {MONTH} on {engine}")
        print(
            f"history: {Case.objects.count():,} cases, {Event.objects.count():,} events; "
            f"the month: {args.month_cases:,} cases opened, {in_month:,} events"
        )
        seconds, cpu = [], []
        steps: list[tuple[str, float]] = []

        def lap(step: str, done: int, total: int) -> None:
            steps.append((step, time.perf_counter()))

        rss_before = _rss_kb("VmRSS")
        _reset_peak()
        watch = MemoryWatch().__enter__()
        for run in range(args.runs):
            steps.clear()
            with CaptureQueriesContext(connection) as queries:
                began, used = time.perf_counter(), time.process_time()
                report = as_report(compute_trail(month, progress=lap))
                seconds.append(time.perf_counter() - began)
                cpu.append(time.process_time() - used)
            print(
                f"run {run + 1}: {seconds[-1]:.3f} s, this process's CPU {cpu[-1]:.3f} s; "
                f"load {_load()}",
                flush=True,
            )
        watch.__exit__()
        whole_mb = (_rss_kb("VmHWM") - rss_before) / 1024
        print(latency_line("compute_trail + as_report", seconds))
        print(
            f"p95 {percentile(seconds, 0.95):.3f} s (goal ≤ 1 s), median "
            f"{statistics.median(seconds):.3f} s; CPU of this process a run: median "
            f"{statistics.median(cpu):.3f} s (the database server's own is not in it); "
            f"{len(queries)} queries a run"
        )
        marks = [began] + [moment for _, moment in steps]
        print(
            "the last run's steps: "
            + ", ".join(
                f"{name} {(marks[n + 1] - marks[n]) * 1000:.0f} ms"
                for n, (name, _) in enumerate(steps)
            )
        )
        _memory(month, watch, whole_mb)
        _events_walk(month)
        overall = report["overall"]
        print(
            f"figures: opened {overall['opened']:,}, solved {overall['solved']:,}, "
            f"escalated {overall['escalated']:,}, survey answers {overall['survey_answers']:,}, "
            f"people {len(report['people'])}, bare passes "
            f"{sum(p['bare_passes'] for p in report['people']):,}, median hours to solve "
            f"{overall['median_hours_to_solve']}, top problem {overall['top_problems'][:1]}"
        )


if __name__ == "__main__":
    main()
