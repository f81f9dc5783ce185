"""The month-end trail's speed: `compute_trail` of one month inside a long history.

    python -m bench.trail [--history N] [--month-cases N] [--runs N]
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench.trail

Goal (issue 16): a month holding 100k cases and about 1M events, inside a history of 1M
cases, in ≤ 1 s (p95 of 5 runs) with the process growing ≤ 100 MB.

The history before the month comes from bench.seed (an opening, a solve and sometimes a
close per case; 2% still open when the month starts, so the month starts with cases held).
The month itself is written here, about ten events a case as the actions write them: the
opening and its acknowledgement, replies (some sent anyway, some waiting for the customer and
resumed when they answer), the customer's words, notes, tickles, passes up (bare when nothing
was done first), takes, escalations at the deadline, solves (a third linking one of 50 problems),
survey answers (one solve in five; two in five of those delighted) and closes. Raw bulk
inserts, as in bench/seed.py (hand-written SQL is allowed in bench/ only); the ownership
spells the actions would have kept are then built from the events (cases.spells.rebuild,
timed: what migration 0016 does on an upgraded install), and so are the daily counts
(cases.day_counts.rebuild, migration 0018).
"""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

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


class MonthWriter:
    """Bulk-writes `n` cases opened in the month and their events."""

    def __init__(self, org, start: datetime, end: datetime, rng: random.Random):
        from bench.seed import _next_id, _Table
        from relaydesk.cases.models import Case, Event, SurveyAnswer
        from relaydesk.problems.models import Problem

        self.org, self.rng = org, rng
        self.start, self.end = start, end
        self.by_tier: dict[int, list[int]] = {}
        for user_id, tier_id in org.staff:
            self.by_tier.setdefault(org.tier_ranks[tier_id], []).append(user_id)
        self.tier_of = dict(org.staff)
        first = datetime(2026, 1, 1, tzinfo=UTC)
        self.problems = [
            Problem.objects.create(title=f"Bench problem {n}", created_at=first).pk
            for n in range(50)
        ]
        self.case_id, self.event_id = _next_id(Case), _next_id(Event)
        self.answer_id = _next_id(SurveyAnswer)
        self.cases = _Table(
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
                "solved_at",
                "solved_by_id",
                "problem_id",
                "reply_secret",
            ],
        )
        self.events = _Table(
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
        self.answers = _Table(
            SurveyAnswer,
            [
                "id",
                "case_id",
                "opening",
                "solved_by_id",
                "rating",
                "delighted",
                "fix",
                "answered_at",
            ],
        )
        from django.db import connection

        self.sqlite = connection.vendor == "sqlite"
        self.event_rows: list[tuple] = []
        self.case_rows: list[tuple] = []
        self.answer_rows: list[tuple] = []

    def stamp(self, moment: datetime):
        return str(moment.astimezone(UTC).replace(tzinfo=None)) if self.sqlite else moment

    def event(self, case_id, kind, at, actor=None, *, frm=None, to=None, data=None, body=""):
        """Kept until write(), which numbers all the month's events in time order, as the
        actions do (ids follow the clock, so the month's events lie together on disk)."""
        frm_tier = self.tier_of.get(frm) if frm else None
        to_tier = self.tier_of.get(to) if to else None
        reason = {"passed": "needs_expertise", "escalated": "deadline"}.get(kind, "")
        row = (case_id, kind, actor, self.stamp(at), frm, to, frm_tier, to_tier, reason, body)
        self.event_rows.append((at, len(self.event_rows), (*row, json.dumps(data or {}))))

    def person(self, rank: int) -> int:
        people = self.by_tier[rank]
        return people[self.rng.randrange(len(people))]

    def one_case(self, customer_id: int, at: datetime) -> None:  # noqa: C901 - one case's story
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

        def later(hours: float) -> datetime:
            return at + timedelta(hours=rng.uniform(0.05, hours))

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
        solved = rng.random() < 0.85
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
                cid,
                customer_id,
                category,
                "Charged twice for my season ticket",
                json.dumps({"reference": f"REF-{cid}"}),
                "email",
                status,
                owner,
                self.tier_of[owner],
                realtime,
                self.stamp(opened_at),
                1,
                self.stamp(deadline),
                escalated,
                self.stamp(at),
                self.stamp(at),
                self.stamp(solved_at) if solved_at else None,
                owner if solved else None,
                problem,
                f"{cid:012x}.bench",
            )
        )
        self.case_id += 1

    def write(self, n: int, customer_id: int) -> int:
        from django.db import transaction

        span = (self.end - self.start).total_seconds() - 4 * 86400
        openings = sorted(self.rng.uniform(0, span) for _ in range(n))
        for number, offset in enumerate(openings):
            self.one_case(customer_id, self.start + timedelta(seconds=offset))
            if number % 10_000 == 0:
                print(f"\r[trail] {number:,}/{n:,} month cases", end="", file=sys.stderr)
        self.event_rows.sort(key=lambda row: (row[0], row[1]))
        rows = [(self.event_id + number, *row[2]) for number, row in enumerate(self.event_rows)]
        with transaction.atomic():
            for first in range(0, len(self.case_rows), 20_000):
                self.cases.insert(self.case_rows[first : first + 20_000])
            for first in range(0, len(rows), 100_000):
                self.events.insert(rows[first : first + 100_000])
            self.answers.insert(self.answer_rows)
        print(f"\r[trail] {n:,}/{n:,} month cases, {len(rows):,} events", file=sys.stderr)
        return len(rows)


def seed_month(history: int, month_cases: int) -> tuple[int, int]:
    from bench.database import analyze, flush_postgresql, flush_sqlite
    from bench.seed import _reset_sequences, seed
    from relaydesk.cases.models import Case, Customer, Event, SurveyAnswer
    from relaydesk.insights.months import parse_month
    from relaydesk.problems.models import Problem

    month = parse_month(MONTH, ZONE)
    org = seed(history, open_share=0.02, days=365, moment=month.start_utc)
    writer = MonthWriter(org, month.start_utc, month.end_utc, random.Random(16))
    customer = Customer.objects.order_by("id").values_list("id", flat=True).first()
    events = writer.write(month_cases, customer or 1)
    _reset_sequences([Case, Event, SurveyAnswer, Problem])
    analyze()
    build_spells()
    build_day_counts()
    analyze()
    flush_sqlite()
    flush_postgresql()
    return org.events, events


def build_spells() -> None:
    """The ownership spells of the seeded history: the raw inserts bypass the actions that
    keep them, so they are built from the events, as an upgraded install's are (cases 0016)."""
    from django.db import transaction

    from relaydesk.cases import spells

    began = time.perf_counter()

    def told(done: int, total: int) -> None:
        print(f"\r[trail] spells of {done:,}/{total:,} cases", end="", file=sys.stderr)

    with transaction.atomic():
        written = spells.rebuild(progress=told)
    print(
        f"\r[trail] {written:,} spells built from the events in "
        f"{time.perf_counter() - began:.0f} s",
        file=sys.stderr,
    )


def build_day_counts() -> None:
    """The daily counts of the seeded history, built from the events as cases 0018 does."""
    from django.db import transaction

    from relaydesk.cases import day_counts

    began = time.perf_counter()
    with transaction.atomic():
        written = day_counts.rebuild()
    print(
        f"[trail] {written:,} daily counts built from the events in "
        f"{time.perf_counter() - began:.0f} s",
        file=sys.stderr,
    )


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

        history_events, month_events = seed_month(args.history, args.month_cases)
        month = parse_month(MONTH, ZONE)
        in_month = Event.objects.filter(at__gte=month.start_utc, at__lt=month.end_utc).count()
        heading(f"the trail of {MONTH} on {engine}")
        print(
            f"history: {Case.objects.count():,} cases, {Event.objects.count():,} events; "
            f"the month: {args.month_cases:,} cases opened, {in_month:,} events"
        )
        seconds = []
        rss_before = _rss_kb("VmRSS")
        _reset_peak()
        steps: list[tuple[str, float]] = []

        def lap(step: str, done: int, total: int) -> None:
            steps.append((step, time.perf_counter()))

        for _ in range(args.runs):
            steps.clear()
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                report = as_report(compute_trail(month, progress=lap))
                seconds.append(time.perf_counter() - began)
        growth_mb = (_rss_kb("VmHWM") - rss_before) / 1024
        print(latency_line("compute_trail + as_report", seconds))
        print(
            f"p95 {percentile(seconds, 0.95):.3f} s (goal ≤ 1 s), median "
            f"{statistics.median(seconds):.3f} s; {len(queries)} queries a run; "
            f"process grew {growth_mb:.1f} MB at its peak (goal ≤ 100 MB)"
        )
        marks = [began] + [moment for _, moment in steps]
        print(
            "the last run's steps: "
            + ", ".join(
                f"{name} {(marks[n + 1] - marks[n]) * 1000:.0f} ms"
                for n, (name, _) in enumerate(steps)
            )
        )
        _events_walk(month)
        overall = report["overall"]
        print(
            f"figures: opened {overall['opened']:,}, solved {overall['solved']:,}, "
            f"escalated {overall['escalated']:,}, survey answers {overall['survey_answers']:,}, "
            f"people {len(report['people'])}, bare passes "
            f"{sum(p['bare_passes'] for p in report['people']):,}"
        )


if __name__ == "__main__":
    main()
