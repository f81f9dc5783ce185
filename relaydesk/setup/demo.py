"""The demo: Northline Rail with sixty days of cases, written through the real actions.

`build_demo()` loads examples/demo-company.toml through the company-file code, then plays a
story for each case in time order: open, notes, passes, takes, solves, reopens, closes, and
the conversation with the customer (replies, questions that wait for the answer, the customer
writing back, the survey: relaydesk.setup.demo_conversation). Every step runs under
`relaydesk.clock.pinned(moment)`, so each change goes through `relaydesk.cases.actions` and
its event carries the moment the story says. Every half hour of story time the clock's sweep
runs under the pinned time too, so cases that sit past their deadline are escalated and idle
owners are tickled, exactly as the worker would have done.

The same seed gives the same demo. A second run finds the demo and changes nothing.
"""

from __future__ import annotations

import heapq
import logging
import random
import string
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Case, Channel, Notification, PassReason, Status
from relaydesk.clock import sweep
from relaydesk.org.models import Category, Company, FieldType, IntakeField, Staff, Tier
from relaydesk.outbox.models import OutgoingMail
from relaydesk.problems.models import Problem
from relaydesk.settings import env_int
from relaydesk.setup import demo_conversation as conversation
from relaydesk.setup import demo_stories as words
from relaydesk.setup.company_apply import apply_company_file
from relaydesk.setup.company_file import read_company_file
from relaydesk.setup.demo_goodwill import KINDS as GOODWILL_KINDS
from relaydesk.setup.demo_goodwill import DemoGoodwill
from relaydesk.setup.demo_steps import Step
from relaydesk.setup.demo_trail import DemoTrail
from relaydesk.timekeeping import pinned

DEMO_FILE = Path(__file__).resolve().parents[2] / "examples" / "demo-company.toml"
DEMO_LOGINS = ("frontline", "specialist", "expert", "manager", "executive")
DEMO_PASSWORD = "demo"  # noqa: S105 - the published demo password, by design
DAYS = 60
RECENT_SHARE = 0.15  # cases opened in the last RECENT_HOURS: most of them are still open
RECENT_HOURS = 24
REALTIME_SHARE = 0.11  # of cases in categories with realtime triggers (~10% overall)
SWEEP_EVERY = timedelta(minutes=30)
SWEEP_LIMIT = 1000
DESK_MINIMUM = 20  # from this many cases on, the demo logins find open cases of their own

Progress = Callable[[int, int], None]


class DemoRefused(Exception):
    """The installation already holds another company: the demo will not mix into it."""


@dataclass
class DemoResult:
    built: bool
    cases: int
    seconds: float = 0.0
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def message(self) -> str:
        if not self.built:
            return f"The demo is already loaded ({self.cases} cases); nothing was changed."
        states = ", ".join(f"{n} {status}" for status, n in sorted(self.by_status.items()))
        return f"Built the demo: {self.cases} cases ({states}) in {self.seconds:.1f} s."


@dataclass
class Story:
    number: int
    category: Category
    opened_at: datetime
    realtime: bool
    steps: list[Step]
    intake: str = ""  # the username who takes the call, when the story says who
    by_email: bool = False  # the customer has an email address (a conversation needs one)
    case_id: int | None = None
    next_step: int = 0
    case: Case | None = None  # as the last step left it, valid while no sweep ran since
    seen_sweeps: int = -1


def default_case_count() -> int:
    """RELAYDESK_DEMO_CASES (default 2000): how many cases a new demo gets."""
    count = env_int("RELAYDESK_DEMO_CASES", 2000)
    if count < 0:
        raise ValueError(f"RELAYDESK_DEMO_CASES must be 0 or more, not {count}")
    return count


def demo_company_name() -> str:
    company = read_company_file(DEMO_FILE).company
    assert company is not None, f"{DEMO_FILE} has a [company] table"
    return company.name


def build_demo(
    *,
    cases: int | None = None,
    seed: int = 2026,
    until: datetime | None = None,
    progress: Progress | None = None,
) -> DemoResult:
    """Load the demo company and, unless it has cases already, `cases` cases of history."""
    cases = default_case_count() if cases is None else cases
    existing = Company.current()
    name = demo_company_name()
    if existing is not None and existing.name != name:
        raise DemoRefused(
            f"This installation already holds the company {existing.name!r}; the demo only "
            f"loads into an empty installation. Use a fresh RELAYDESK_HOME for the demo."
        )
    until = until or timezone.now()
    if existing is not None and Case.objects.exists():
        # Applying the file again would undo the history's promotion (demo_trail).
        return DemoResult(built=False, cases=Case.objects.count())
    # Its people joined when the history begins: the career page's tier history says so.
    apply_company_file(DEMO_FILE, at=until - timedelta(days=DAYS + 1))

    started = time.monotonic()
    with transaction.atomic(), _quiet("relaydesk.clock"):
        first_mail = OutgoingMail.objects.order_by("-id").values_list("id", flat=True).first()
        rng = random.Random(seed)  # noqa: S311 - a repeatable story, not a secret
        Builder(rng, until, progress).run(cases)
        # The demo's history is history: its mail counts as sent and the bell shows only the
        # last day, so starting the worker does not deliver thousands of old messages.
        OutgoingMail.objects.filter(
            id__gt=first_mail or 0, status=OutgoingMail.Status.QUEUED
        ).update(status=OutgoingMail.Status.SENT, sent_at=F("created_at"))
        Notification.objects.filter(
            created_at__lt=until - timedelta(days=1), read_at__isnull=True
        ).update(read_at=F("created_at"))
        Notification.objects.filter(mail_pending=True).update(mail_pending=False)
    by_status = {status: Case.objects.filter(status=status).count() for status in Status.values}
    return DemoResult(
        built=True, cases=cases, seconds=time.monotonic() - started, by_status=by_status
    )


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """The sweep logs every batch; during the build that is noise on the progress bar."""
    logger = logging.getLogger(logger_name)
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)


class Builder:
    """Plays every case's story in time order, with the clock's sweep in between."""

    def __init__(self, rng: random.Random, until: datetime, progress: Progress | None):
        self.rng = rng
        self.until = until
        self.progress = progress
        company = Company.current()
        assert company is not None, "build_demo loads the company file before the cases"
        self.zone = ZoneInfo(company.time_zone)
        self.categories = list(
            Category.objects.filter(active=True).prefetch_related("fields", "realtime_triggers")
        )
        self.fields = {c.pk: list(c.fields.all()) for c in self.categories}
        self.triggers = {c.pk: [t.key for t in c.realtime_triggers.all()] for c in self.categories}
        self.tiers = list(Tier.objects.order_by("rank"))
        self.staff = list(
            Staff.objects.filter(active=True, user__is_active=True)
            .select_related("user", "tier")
            .prefetch_related("skills")
        )
        self.skills = {s.pk: {c.pk for c in s.skills.all()} for s in self.staff}
        self.users = {s.user.username: s.user for s in self.staff}
        self.customers = self._customer_pool()
        self.talk = conversation.Conversation(rng)
        self.goodwill = DemoGoodwill(rng)  # rule 13's gestures: relaydesk.setup.demo_goodwill
        # The buck passer and a promotion halfway: relaydesk.setup.demo_trail
        self.trail = DemoTrail(rng, self.staff, promoted_at=until - timedelta(days=DAYS // 2))
        self.problems: dict[str, Problem] = {}
        self.done = 0
        self.sweeps = 0

    # ---------------------------------------------------------------- planning
    def _customer_pool(self) -> list[tuple[str, str, str]]:
        people = []
        for number in range(900):
            first = self.rng.choice(words.FIRST_NAMES)
            last = self.rng.choice(words.LAST_NAMES)
            handle = f"{first}.{last}".lower().replace(" ", "")
            email = "" if self.rng.random() < 0.08 else f"{handle}{number}@example.com"
            phone = f"+31 6 {self.rng.randrange(10_000_000, 99_999_999)}"
            people.append((f"{first} {last}", email, phone))
        return people

    def _opened_at(self) -> datetime:
        if self.rng.random() < RECENT_SHARE:
            return self.until - timedelta(minutes=self.rng.uniform(10, RECENT_HOURS * 60))
        local_today = self.until.astimezone(self.zone).date()
        day = local_today - timedelta(days=self.rng.randrange(1, DAYS))
        hour = self.rng.choices(range(7, 22), weights=[3, 6, 8, 8, 7, 6, 6, 6, 6, 5, 5, 4, 3, 2, 1])
        moment = datetime(
            day.year, day.month, day.day, hour[0], self.rng.randrange(60), tzinfo=self.zone
        )
        return moment.astimezone(ZoneInfo("UTC"))

    def _plan(self, realtime: bool) -> list[Step]:
        rng = self.rng
        scale = 0.12 if realtime else 1.0

        def minutes(low: float, high: float, scaled: bool = True) -> timedelta:
            return timedelta(minutes=rng.uniform(low, high) * (scale if scaled else 1.0))

        def maybe_note(chance: float = 0.5) -> list[Step]:
            return [Step("note", minutes(5, 90))] if rng.random() < chance else []

        story = rng.choices(
            [
                "quick",
                "up",
                "up_twice",
                "up_manager",
                "taken",
                "same_tier",
                "missing",
                "reopened",
                "overdue",
            ],
            weights=[33, 16, 7, 4, 8, 3, 4, 6, 4],
        )[0]
        steps = [Step("open", timedelta(0))]
        if story == "quick":
            steps += maybe_note() + [Step("solve", minutes(20, 300))]
        elif story in ("up", "missing", "overdue"):
            if story == "missing":
                steps.append(Step("details", minutes(20, 180)))
            steps += maybe_note(0.7)
            steps.append(Step("pass_up", minutes(10, 120), rank=1, reason="needs_expertise"))
            steps += maybe_note(0.5)
            late = story == "overdue"
            steps.append(Step("solve", minutes(21 * 60, 40 * 60) if late else minutes(60, 600)))
        elif story == "up_twice":
            steps.append(Step("pass_up", minutes(10, 90), rank=1, reason="needs_expertise"))
            steps += maybe_note(0.6)
            steps.append(Step("pass_up", minutes(60, 300), rank=2, reason="needs_expertise"))
            steps.append(Step("solve", minutes(60, 600)))
        elif story == "up_manager":
            steps.append(Step("pass_up", minutes(10, 90), rank=1, reason="needs_expertise"))
            steps.append(Step("pass_up", minutes(30, 240), rank=3, reason="needs_authority"))
            steps.append(Step("solve", minutes(60, 480)))
        elif story == "taken":
            steps.append(Step("take", minutes(10, 120), rank=1))
            steps += maybe_note(0.6) + [Step("solve", minutes(30, 480))]
        elif story == "same_tier":
            steps.append(Step("pass_same", minutes(60, 240), reason="shift_change"))
            steps.append(Step("solve", minutes(30, 300)))
        elif story == "reopened":
            steps.append(Step("solve", minutes(20, 300)))
            steps.append(Step("reopen", minutes(24 * 60, 5 * 24 * 60, scaled=False)))
            steps += maybe_note(0.8) + [Step("solve", minutes(60, 480))]
        if rng.random() < 0.6:
            steps.append(Step("close", minutes(2 * 24 * 60, 6 * 24 * 60, scaled=False)))
        return self.goodwill.plan(conversation.plan(rng, steps, realtime=realtime))

    def stories(self, count: int) -> list[Story]:
        desk = self._desk_stories() if count >= DESK_MINIMUM else []
        stories = []
        for number in range(count - len(desk)):
            category = self.rng.choice(self.categories)
            realtime = bool(self.triggers[category.pk]) and self.rng.random() < REALTIME_SHARE
            stories.append(
                Story(number, category, self._opened_at(), realtime, self._plan(realtime))
            )
        for number, story in enumerate(desk, start=len(stories)):
            story.number = number
            stories.append(story)
        return stories

    def _desk_stories(self) -> list[Story]:
        """Today's desk: every demo login below the executive owns open cases when they log in.

        (The executive gets the cases that passed their deadline, through the sweep.)
        """
        plans = [
            [],
            [],
            [],
            [("specialist", "needs_expertise")],
            [("specialist", "needs_expertise")],
            [("specialist", "needs_expertise"), ("expert", "needs_expertise")],
            [("manager", "needs_authority")],
        ]
        stories = []
        for passes in plans:
            steps = [Step("open", timedelta(0))]
            for username, reason in passes:
                minutes = self.rng.uniform(5, 30)
                steps.append(
                    Step("pass_to", timedelta(minutes=minutes), reason=reason, username=username)
                )
            opened_at = self.until - timedelta(minutes=self.rng.uniform(70, 180))
            category = self.rng.choice(self.categories)
            stories.append(Story(0, category, opened_at, False, steps, intake="frontline"))
        return stories + self._desk_conversations()

    def _desk_conversations(self) -> list[Story]:
        """Today's desk talks with its customers: frontline waits for the answer to a question,
        and the specialist has a case back that its customer rated 1 in the survey today."""

        def minutes(low: float, high: float) -> timedelta:
            return timedelta(minutes=self.rng.uniform(low, high))

        waiting = [Step("open", timedelta(0)), Step("ask", minutes(10, 40))]
        unhappy = [
            Step("open", timedelta(0)),
            Step("pass_to", minutes(5, 30), reason="needs_expertise", username="specialist"),
            Step("reply", minutes(30, 90)),
            Step("solve", minutes(60, 180)),
            Step("survey", minutes(4 * 60, 8 * 60), rating=1),
        ]
        return [
            Story(
                0,
                self.rng.choice(self.categories),
                self.until - minutes(*ago),
                False,
                steps,
                intake="frontline",
                by_email=True,
            )
            for steps, ago in ((waiting, (70, 180)), (unhappy, (14 * 60, 18 * 60)))
        ]

    # ---------------------------------------------------------------- playing
    def run(self, count: int) -> None:
        stories = self.stories(count)
        queue = [(story.opened_at, story.number, story) for story in stories]
        heapq.heapify(queue)
        self.next_sweep = self.until - timedelta(days=DAYS + 1)
        self.due: datetime | None = None
        while queue:
            moment, _, story = heapq.heappop(queue)
            self._sweeps_until(moment)
            self.trail.promote_by(moment)
            step = story.steps[story.next_step]
            story.next_step += 1
            with pinned(moment):
                changed = self._play(story, step)
            self._note_due(changed)
            # Notes, details, replies and most survey answers return no case and change
            # neither owner nor status.
            if changed is not None:
                story.case, story.seen_sweeps = changed, self.sweeps
            elif step.kind not in conversation.KEEP_CASE:
                story.case = None
            following = self._next_moment(story, moment)
            if following is None:
                self._finished(count)
            else:
                heapq.heappush(queue, (following, story.number, story))
        self._sweeps_until(self.until)

    def _sweeps_until(self, moment: datetime) -> None:
        """Run the clock's sweep at each half hour up to `moment` when anything is due by then.

        Half hours with nothing due are skipped: `self.due` is the earliest deadline or tickle
        time of any open case (None: look it up), so the sweep runs only when it has work.
        """
        while True:
            if self.due is None:
                row = Case.objects.filter(status=Status.OPEN).aggregate(
                    deadline=Min("deadline", filter=Q(escalated=False, waiting_since=None)),
                    tickle=Min("next_tickle_at"),
                )
                present = [value for value in row.values() if value is not None]
                self.due = min(present) if present else self.until + SWEEP_EVERY
            at = self.next_sweep
            if self.due > at:  # the first half hour at or after the due moment
                at += SWEEP_EVERY * -((at - self.due) // SWEEP_EVERY)
            if at > moment:
                return
            self._sweep(at)
            self.next_sweep = at + SWEEP_EVERY
            self.due = None

    def _note_due(self, case: Case | None) -> None:
        """A step may have moved its case's deadline or tickle time earlier than `self.due`.

        Only opening, passing, taking, reopening and the customer's words can (they return the
        case); a note, a detail or a reply pushes the tickle time later, which at worst makes
        one sweep find nothing. A case waiting for the customer has its deadline paused; in the
        demo's stories its wait ends by the customer's answer or by a solve, never by a note or
        a reply (which would bring the deadline back unseen here).
        """
        if self.due is None or case is None or not case.is_open:
            return
        paused = case.escalated or case.waiting_since is not None
        for moment in (None if paused else case.deadline, case.next_tickle_at):
            if moment is not None and moment < self.due:
                self.due = moment

    def _next_moment(self, story: Story, moment: datetime) -> datetime | None:
        if story.case_id is None or story.next_step >= len(story.steps):
            return None
        following = moment + story.steps[story.next_step].after
        return following if following <= self.until else None

    def _finished(self, total: int) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, total)

    def _sweep(self, moment: datetime) -> None:
        self.sweeps += 1
        # One batch each: far fewer cases are ever due at once in the demo than SWEEP_LIMIT;
        # any left over would be claimed half an hour later, as by a real worker.
        with pinned(moment):
            sweep.handle_one_escalation_batch(limit=SWEEP_LIMIT)
            sweep.handle_one_tickle_batch(limit=SWEEP_LIMIT)

    def _play(self, story: Story, step: Step) -> Case | None:
        """One step of a story; the case when the step changed its owner or deadline."""
        if step.kind == "open":
            return self._open(story)
        if story.case is not None and story.seen_sweeps == self.sweeps:
            case = story.case
        else:
            assert story.case_id is not None, "every story's first step opens its case"
            case = Case.objects.select_related("owner", "tier", "category", "customer").get(
                pk=story.case_id
            )
        if case.is_open and case.escalated and step.kind in ("details", "pass_up", "take"):
            step = Step("solve", step.after)  # the executive who received it deals with it
        try:
            if self.trail.passes_instead(case, step):
                return self.trail.pass_up(case, self.tiers, story.steps, story.next_step)
            return self._act(case, step)
        except DomainError:
            # The story met a rule (nobody qualified, the owner changed): the owner solves it.
            if case.is_open and not any(s.kind == "solve" for s in story.steps[story.next_step :]):
                story.steps.append(Step("solve", timedelta(hours=self.rng.uniform(1, 6))))
            return None

    def _open(self, story: Story) -> Case:
        rng = self.rng
        name, email, phone = rng.choice(
            [c for c in self.customers if c[1]] if story.by_email else self.customers
        )
        customer = actions.find_or_create_customer(name=name, email=email, phone=phone)
        details = self._details(story)
        if any(step.kind == "details" for step in story.steps):
            required = [f for f in self.fields[story.category.pk] if f.required]
            if required:
                details.pop(rng.choice(required).key, None)
        channel = rng.choices(
            [Channel.PHONE, Channel.EMAIL, Channel.WEB, Channel.CHAT, Channel.API],
            weights=[45, 25, 20, 5, 5],
        )[0]
        acting = None
        if story.intake:
            channel, acting = Channel.PHONE, self.users[story.intake]
        elif channel in (Channel.PHONE, Channel.CHAT):
            frontline = [s for s in self.staff if s.tier.rank == 0 and s.on_duty]
            acting = rng.choice(frontline).user
        triggers = self.triggers[story.category.pk]
        case = actions.open_case(
            customer=customer,
            category=story.category,
            subject=rng.choice(words.SUBJECTS.get(story.category.slug, ["A question"])),
            details=details,
            channel=channel,
            realtime_triggers=[rng.choice(triggers)] if story.realtime else [],
            acting=acting,
        )
        story.case_id = case.pk
        return case

    def _details(self, story: Story) -> dict:
        day = story.opened_at.date()
        values = {}
        for intake_field in self.fields[story.category.pk]:
            if not intake_field.required and self.rng.random() < 0.3:
                continue
            values[intake_field.key] = self._value(intake_field, day)
        return values

    def _value(self, intake_field: IntakeField, day):
        rng = self.rng
        key = intake_field.key
        if intake_field.type == FieldType.CHOICE:
            return rng.choice(intake_field.choices)
        if intake_field.type == FieldType.DATE:
            return (day - timedelta(days=rng.randrange(0, 8))).isoformat()
        if intake_field.type == FieldType.NUMBER:
            return rng.randrange(15, 180) if "minutes" in key else round(rng.uniform(4, 140), 2)
        if intake_field.type == FieldType.PHONE:
            return f"+31 6 {rng.randrange(10_000_000, 99_999_999)}"
        if intake_field.type == FieldType.EMAIL:
            return "customer@example.com"
        if key in ("booking_ref", "card_number"):
            return "".join(rng.choices(string.ascii_uppercase + string.digits, k=8))
        if key == "service":
            return f"{rng.randrange(6, 22):02d}:{rng.randrange(0, 60):02d} " + " to ".join(
                rng.sample(words.STATIONS, 2)
            )
        if key == "app_version":
            return f"6.{rng.randrange(0, 4)}.{rng.randrange(0, 10)}"
        if intake_field.type == FieldType.LONG_TEXT:
            return "As the customer described it on the phone; see the notes."
        return rng.choice(words.STATIONS)

    def _act(self, case: Case, step: Step) -> Case | None:  # noqa: C901 - one branch per step kind
        rng = self.rng
        owner = case.owner
        assert owner is not None, "the demo's cases are opened to someone and never unowned"
        if step.kind in conversation.TALK_KINDS:
            return self.talk.play(case, step)
        if step.kind in GOODWILL_KINDS:
            self.goodwill.play(case, step)  # changes no owner, status or deadline
            return None
        if step.kind == "note":
            if case.is_open:
                actions.add_note(case, acting=owner, body=rng.choice(words.NOTES))
        elif step.kind == "details":
            details = self._details(Story(0, case.category, case.opened_at, False, []))
            missing = {k: v for k, v in details.items() if k not in case.details}
            if missing and case.is_open:
                actions.update_details(case, acting=owner, details=missing)
        elif step.kind == "pass_up":
            if case.is_open and case.tier.rank < step.rank < len(self.tiers):
                return actions.pass_case(
                    case,
                    acting=owner,
                    reason=step.reason,
                    note=words.PASS_NOTES[step.reason],
                    to_tier=self.tiers[step.rank],
                )
        elif step.kind == "pass_same":
            colleague = self._pick(case, case.tier.rank)
            if case.is_open and colleague is not None:
                return actions.pass_case(
                    case,
                    acting=owner,
                    reason=PassReason.SHIFT_CHANGE,
                    note=words.PASS_NOTES["shift_change"],
                    to_user=colleague.user,
                )
        elif step.kind == "pass_to":
            receiver = self.users[step.username]
            if case.is_open and receiver.pk != case.owner_id:
                return actions.pass_case(
                    case,
                    acting=owner,
                    reason=step.reason,
                    note=words.PASS_NOTES[step.reason],
                    to_user=receiver,
                )
        elif step.kind == "take":
            taker = self._pick(case, step.rank)
            if case.is_open and taker is not None and case.tier.rank <= step.rank:
                return actions.take(case, acting=taker.user)
        elif step.kind == "solve":
            if case.is_open:
                return self._solve(case, owner)
        elif step.kind == "reopen":
            if not case.is_open:
                return self.talk.writes_back(case, rng.choice(words.REOPEN_WHYS))
        elif step.kind == "close" and case.status == Status.SOLVED:
            return actions.close(case, acting=None, why=rng.choice(words.CLOSE_WHYS))
        return None

    def _pick(self, case: Case, rank: int) -> Staff | None:
        """An on-duty person at `rank` who covers the case's category, not its owner."""
        pool = [
            s
            for s in self.staff
            if s.tier.rank == rank
            and s.on_duty
            and s.user_id != case.owner_id
            and (not self.skills[s.pk] or case.category_id in self.skills[s.pk])
        ]
        return self.rng.choice(pool) if pool else None

    def _solve(self, case: Case, owner: User) -> Case:
        titles = words.PROBLEMS.get(case.category.slug, [])
        decision: dict = {"one_off_reason": self.rng.choice(words.ONE_OFF_REASONS)}
        if titles and self.rng.random() < 0.35:
            title = self.rng.choice(titles)
            if title in self.problems:
                decision = {"problem": self.problems[title]}
            else:
                decision = {"new_problem_title": title}
        solved = actions.solve(
            case,
            acting=owner,
            resolution=words.RESOLUTIONS.get(case.category.slug, "Solved with the customer."),
            **decision,
        )
        if "new_problem_title" in decision:
            assert solved.problem is not None, "solving with a new problem links it"
            self.problems[decision["new_problem_title"]] = solved.problem
        return solved
