"""A fast seeder the benchmarks share: a company like the demo's, then n cases in bulk.

The company (5 tiers, 25 staff, 8 categories) is made through the ORM once; cases, their
customers and their events are bulk-inserted with raw SQL (executemany on SQLite, COPY on
PostgreSQL) so a million cases take well under the time of one coffee. The rows are what the
actions would have written: every case has an owner at the owner's tier, an "opened" event
to that owner, and solved/closed cases also have their "solved" (and "closed") events by the
owner. Values are deterministic (seeded random) so runs compare.

    from bench.database import bench_database
    with bench_database():
        from bench.seed import seed
        org = seed(100_000, open_share=0.3)
"""

import json
import random
import secrets
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

STAFF_PER_TIER = {"frontline": 10, "specialist": 6, "expert": 4, "manager": 3, "executive": 2}
TIERS = [
    ("frontline", "Frontline"),
    ("specialist", "Specialist"),
    ("expert", "Expert"),
    ("manager", "Manager"),
    ("executive", "Executive"),
]
CATEGORIES = [
    ("billing", "Billing", 20 * 60),
    ("delivery", "Delivery", 20 * 60),
    ("refunds", "Refunds", 24 * 60),
    ("accounts", "Accounts", 20 * 60),
    ("travel", "Travel disruption", 4 * 60),
    ("complaints", "Complaints", 48 * 60),
    ("tickets", "Tickets", 20 * 60),
    ("other", "Other", 20 * 60),
]
PASSWORD = "bench"  # noqa: S105 - every seeded user; the benchmarks log in with it
SUBJECTS = [
    "Charged twice for my season ticket",
    "Parcel never arrived",
    "Refund still not on my card",
    "Cannot log in to my account",
    "Train cancelled, need a new connection",
    "Rude answer at the counter",
    "Wrong ticket class on my booking",
    "Question about my invoice",
]


@dataclass
class Org:
    """What seed() made: ids the benchmarks need without querying."""

    tier_ids: dict[str, int]
    tier_ranks: dict[int, int]
    category_ids: list[int]
    category_windows: dict[int, int]
    staff: list[tuple[int, int]]  # (user id, tier id)
    usernames: dict[int, str]
    cases: int = 0
    events: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def user_id(self, username: str) -> int:
        return next(uid for uid, name in self.usernames.items() if name == username)


def make_org() -> Org:
    """The company, tiers, staff and categories (once; a second call reuses them)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from relaydesk.org.models import Category, Company, ExecutiveRota, IntakeField, Staff, Tier

    if not Company.objects.exists():
        Company.objects.create(name="Bench Rail", time_zone="Europe/Amsterdam")
        tiers = [
            Tier.objects.create(slug=slug, name=name, rank=rank)
            for rank, (slug, name) in enumerate(TIERS)
        ]
        categories = []
        for position, (slug, name, window) in enumerate(CATEGORIES):
            category = Category.objects.create(
                slug=slug, name=name, solve_window_minutes=window, position=position
            )
            IntakeField.objects.create(
                category=category, key="reference", label="Booking or invoice", required=True
            )
            categories.append(category)
        password = make_password(PASSWORD)  # hashed once: 25 hashes would cost seconds
        for tier in tiers:
            for number in range(STAFF_PER_TIER[tier.slug]):
                username = tier.slug if number == 0 else f"{tier.slug}{number + 1}"
                user = User.objects.create(
                    username=username,
                    password=password,
                    email=f"{username}@bench.example",
                    first_name=tier.name,
                    last_name=str(number + 1),
                )
                staff = Staff.objects.create(user=user, tier=tier, on_duty=True)
                if tier.slug == "frontline" and number % 2:
                    staff.skills.set(categories[number % 8 :: 2])  # half the frontline specialise
                if tier.slug == "executive" and number == 0:
                    ExecutiveRota.objects.create(
                        staff=staff,
                        starts_on=datetime(2000, 1, 1, tzinfo=UTC).date(),
                        ends_on=datetime(2100, 1, 1, tzinfo=UTC).date(),
                    )
    tiers = list(Tier.objects.order_by("rank"))
    categories = list(Category.objects.order_by("position"))
    staff = list(Staff.objects.select_related("user").order_by("id"))
    return Org(
        tier_ids={t.slug: t.pk for t in tiers},
        tier_ranks={t.pk: t.rank for t in tiers},
        category_ids=[c.pk for c in categories],
        category_windows={c.pk: c.solve_window_minutes for c in categories},
        staff=[(s.user_id, s.tier_id) for s in staff],
        usernames={s.user_id: s.user.username for s in staff},
    )


class _Table:
    """Raw bulk insert into one model's table: known columns first, then every other concrete
    column at its model default (so a column another room adds later does not break seeding)."""

    def __init__(self, model, known: list[str]):
        from django.db import connection

        self.connection = connection
        self.table = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        missing = [name for name in known if name not in fields]
        if missing:
            raise RuntimeError(f"{self.table} has no column(s) {missing}")
        rest = [f for name, f in fields.items() if name not in known]
        self.columns = [fields[name].column for name in known] + [f.column for f in rest]
        self.suffix = tuple(
            f.get_db_prep_save(f.get_default(), connection) if f.has_default() or f.null else ""
            for f in rest
        )
        self.suffix = tuple(
            json.dumps(value) if isinstance(value, dict | list) else value for value in self.suffix
        )

    def insert(self, rows: list[tuple]) -> None:
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.columns)
        raw = self.connection.connection
        if self.connection.vendor == "postgresql":
            sql = f"COPY {quote(self.table)} ({columns}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row + self.suffix)
        else:
            marks = ", ".join("?" for _ in self.columns)
            raw.executemany(
                f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})",
                [row + self.suffix for row in rows],
            )


def _same(value):
    return value


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1


def _reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def seed(  # noqa: C901 - one pass that writes every table of a case, kept in one place
    n_cases: int,
    *,
    open_share: float = 0.3,
    overdue_share: float = 0.0,
    acknowledged: bool = False,
    realtime_share: float = 0.02,
    days: int = 60,
    batch: int = 25_000,
    moment: datetime | None = None,
    rng_seed: int = 42,
    progress: bool = True,
) -> Org:
    """Add `n_cases` cases (on top of any already there) and return the org.

    open_share: share of the new cases still open (the rest solved, a third of those closed).
    acknowledged: also write what the acknowledgement leaves behind, as production has it: an
    "acknowledged" event and its (sent) OutgoingMail row per case (open_case's own queries
    about earlier acknowledgements then meet a realistic history).
    overdue_share: share of the open cases whose deadline has already passed (clock sweeps);
    the other open cases were opened within their window, so they are not yet due.
    """
    from django.db import connection, transaction

    from relaydesk.cases.models import Case, Customer, Event
    from relaydesk.outbox.models import OutgoingMail
    from relaydesk.problems.search import ensure_installed, suspend_triggers
    from relaydesk.timekeeping import now

    started = time.perf_counter()
    org = make_org()
    suspend_triggers(connection)  # the search index is refilled once at the end, not per row
    rng = random.Random(rng_seed + _next_id(Case))
    moment = (moment or now()).astimezone(UTC)
    if connection.vendor == "postgresql":
        stamp = _same
    else:
        # Django stores naive UTC text in SQLite: compute in naive UTC and write str() directly.
        moment = moment.replace(tzinfo=None)
        stamp = str
        with connection.cursor() as cursor:
            # A bulk load of a throwaway database: a big page cache keeps index updates in memory.
            cursor.execute("PRAGMA cache_size = -524288")  # 512 MB
            cursor.execute("PRAGMA synchronous = OFF")

    customers = _Table(Customer, ["id", "name", "email", "phone", "created_at"])
    cases = _Table(
        Case,
        [
            "id",
            "customer_id",
            "category_id",
            "subject",
            "details",
            "channel",
            "status",
            "owner_id",
            "tier_id",
            "realtime",
            "opened_at",
            "opening",
            "deadline",
            "escalated",
            "last_activity_at",
            "owner_active_at",
            "next_tickle_at",
            "tickle_count",
            "solved_at",
            "solved_by_id",
            "resolution",
            "one_off_reason",
            "reply_secret",
        ],
    )
    events = _Table(
        Event,
        [
            "id",
            "case_id",
            "kind",
            "actor_id",
            "at",
            "from_owner_id",
            "to_owner_id",
            "from_tier_id",
            "to_tier_id",
            "reason",
            "body",
            "data",
        ],
    )
    mails = _Table(
        OutgoingMail,
        [
            "id",
            "message_id",
            "to",
            "subject",
            "body",
            "automatic",
            "case_id",
            "event_id",
            "status",
            "created_at",
            "next_attempt_at",
            "attempts",
            "sent_at",
        ],
    )
    mail_id = _next_id(OutgoingMail)
    case_id = _next_id(Case)
    event_id = _next_id(Event)
    customer_id = _next_id(Customer)
    n_customers = max(1, n_cases // 4)
    channels = ["phone", "email", "web", "api"]
    span = timedelta(days=days).total_seconds()

    with transaction.atomic():
        rows = []
        for offset in range(n_customers):
            number = customer_id + offset
            rows.append((number, f"Customer {number}", f"c{number}@example.com", "", stamp(moment)))
        customers.insert(rows)
        first_customer = customer_id

        done = 0
        while done < n_cases:
            size = min(batch, n_cases - done)
            case_rows, event_rows, mail_rows = [], [], []
            for _ in range(size):
                user_id, tier_id = org.staff[rng.randrange(len(org.staff))]
                category_id = org.category_ids[rng.randrange(len(org.category_ids))]
                is_open = rng.random() < open_share
                realtime = rng.random() < realtime_share
                window = 60 if realtime else org.category_windows[category_id]
                if is_open and rng.random() >= overdue_share:
                    opened = moment - timedelta(seconds=rng.uniform(0, window * 60 * 0.95))
                else:
                    opened = moment - timedelta(seconds=rng.uniform(window * 60, span))
                deadline = opened + timedelta(minutes=window)
                subject = SUBJECTS[category_id % len(SUBJECTS)]
                customer = first_customer + rng.randrange(n_customers)
                channel = channels[rng.randrange(4)]
                details = f'{{"reference": "REF-{case_id}"}}'
                if is_open:
                    status, solved_at, solved_by, resolution, one_off = "open", None, None, "", ""
                    last = opened
                    tickle = stamp(opened + timedelta(hours=4))
                else:
                    solved = opened + timedelta(seconds=rng.uniform(600, window * 60 * 1.3))
                    status = "closed" if rng.random() < 0.33 else "solved"
                    solved_at, solved_by = stamp(solved), user_id
                    resolution, one_off = "Refunded the double charge.", "Clerical slip."
                    last, tickle = solved, None
                case_rows.append(
                    (
                        case_id,
                        customer,
                        category_id,
                        subject,
                        details,
                        channel,
                        status,
                        user_id,
                        tier_id,
                        realtime,
                        stamp(opened),
                        1,
                        stamp(deadline),
                        False,
                        stamp(last),
                        stamp(last),
                        tickle,
                        0,
                        solved_at,
                        solved_by,
                        resolution,
                        one_off,
                        f"{case_id:012x}.{secrets.token_hex(8)}",
                    )
                )
                event_rows.append(
                    (
                        event_id,
                        case_id,
                        "opened",
                        user_id,
                        stamp(opened),
                        None,
                        user_id,
                        None,
                        tier_id,
                        "",
                        subject,
                        f'{{"channel": "{channel}", "realtime": {json.dumps(realtime)}}}',
                    )
                )
                event_id += 1
                if not is_open:
                    event_rows.append(
                        (
                            event_id,
                            case_id,
                            "solved",
                            user_id,
                            solved_at,
                            user_id,
                            None,
                            tier_id,
                            None,
                            "",
                            resolution,
                            f'{{"problem_id": null, "one_off_reason": "{one_off}", '
                            f'"before_deadline": {"true" if solved <= deadline else "false"}}}',
                        )
                    )
                    event_id += 1
                    if status == "closed":
                        event_rows.append(
                            (
                                event_id,
                                case_id,
                                "closed",
                                None,
                                stamp(solved + timedelta(days=3)),
                                None,
                                None,
                                None,
                                None,
                                "",
                                "",
                                "{}",
                            )
                        )
                        event_id += 1
                if acknowledged:
                    subject_line = f"[RD-{case_id + 1000}] We have your case: {subject}"
                    event_rows.append(
                        (
                            event_id,
                            case_id,
                            "acknowledged",
                            None,
                            stamp(opened),
                            None,
                            None,
                            None,
                            None,
                            "",
                            "Thank you for telling us about this.",
                            json.dumps({"to": f"c{customer}@example.com", "subject": subject_line}),
                        )
                    )
                    mail_rows.append(
                        (
                            mail_id,
                            f"<seed.{mail_id}@bench.example>",
                            f"c{customer}@example.com",
                            subject_line,
                            "Thank you for telling us about this.",
                            True,
                            case_id,
                            event_id,
                            "sent",
                            stamp(opened),
                            stamp(opened),
                            1,
                            stamp(opened),
                        )
                    )
                    event_id += 1
                    mail_id += 1
                case_id += 1
            cases.insert(case_rows)
            events.insert(event_rows)
            if mail_rows:
                mails.insert(mail_rows)
            done += size
            org.events += len(event_rows)
            if progress:
                rate = done / (time.perf_counter() - started)
                print(
                    f"\r[seed] {done:,}/{n_cases:,} cases ({rate:,.0f}/s)",
                    end="",
                    file=sys.stderr,
                    flush=True,
                )
        _reset_sequences([Customer, Case, Event, OutgoingMail])
    if progress:
        print(file=sys.stderr)
    from bench.database import analyze, flush_postgresql, flush_sqlite

    ensure_installed(connection)  # the search index's triggers back, the index refilled
    analyze()
    flush_sqlite()
    flush_postgresql()
    if connection.vendor == "sqlite":
        # Back to the product's connection (synchronous, the page cache): what is measured
        # next must not run with the bulk load's settings.
        connection.close()
    org.cases = Case.objects.count()
    org.timings["seed_seconds"] = time.perf_counter() - started
    return org


if __name__ == "__main__":
    import argparse

    from bench.database import bench_database

    parser = argparse.ArgumentParser(description="Seed a throwaway database and report the time.")
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    args = parser.parse_args()
    with bench_database() as engine:
        org = seed(args.n)
        print(
            f"{engine}: seeded {args.n:,} cases and {org.events:,} events in "
            f"{org.timings['seed_seconds']:.1f} s"
        )
