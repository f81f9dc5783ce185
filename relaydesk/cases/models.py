"""Cases, their customers and their history.

Only relaydesk.cases.actions writes Case rows; Event rows are append-only.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from relaydesk.org.append_only import AppendOnlyModel, AppendOnlyQuerySet
from relaydesk.org.models import Category, Tier
from relaydesk.problems.models import Problem

REF_PREFIX = "RD-"
REF_OFFSET = 1000  # the first case is RD-1001: references look like references, not row ids


def ref_for(case_id: int) -> str:
    return f"{REF_PREFIX}{case_id + REF_OFFSET}"


def id_from_ref(ref: str) -> int | None:
    """The row id for `RD-1042` (also accepts `rd-1042` and `1042`); None if it is not a ref."""
    text = ref.strip().upper().removeprefix(REF_PREFIX)
    if not text.isdigit() or len(text) > 15:
        return None
    case_id = int(text) - REF_OFFSET
    return case_id if case_id > 0 else None


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Customer(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=320, blank=True, db_index=True)
    phone = models.CharField(max_length=40, blank=True, db_index=True)
    # The phone's digits, last first: "the number ends in 437 221" is a range of this index
    # (a suffix of the digits is a prefix here). Kept by save(); see phone_key().
    phone_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField()
    # Two rows that were one person (cases.merging.merge_customers): this one's cases moved to
    # `merged_into`, which keeps this row's contact details in its `other_contacts`.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    other_contacts = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["name"], name="customer_name_idx"),
            # Customers merged into one (cases.merging.merge_customers), found to re-point them.
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="customer_merged_into_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.phone_key = phone_key(self.phone)
        fields = kwargs.get("update_fields")
        if fields is not None and "phone" in fields:
            kwargs["update_fields"] = {*fields, "phone_key"}
        super().save(*args, **kwargs)


def phone_key(phone: str) -> str:
    """A phone number's digits, last first (Customer.phone_key)."""
    return "".join(ch for ch in reversed(phone) if ch.isdigit())


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    WEB = "web", "Web form"
    API = "api", "API"
    CHAT = "chat", "Chat"
    IN_PERSON = "in_person", "In person"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"
    # No customer problem (spam, misdirected, a test): ended without a solve (cases.dismissal).
    DISMISSED = "dismissed", "Dismissed"
    # A duplicate that joined another case (Case.merged_into; cases.merging).
    MERGED = "merged", "Merged"


class Case(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="cases")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases")
    subject = models.CharField(max_length=300, help_text="What the customer asked for.")
    real_need = models.TextField(blank=True, help_text="What the customer really needs.")
    details = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.PHONE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # owner and tier lead the queue indexes below, which serve every lookup by them; a
    # separate index each would only cost writes.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        db_index=False,
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="cases", db_index=False)
    realtime = models.BooleanField(default=False)
    opened_at = models.DateTimeField()
    # An opening is the stretch from opening (or reopening) to solving; escalation is once each.
    opening = models.PositiveIntegerField(default=1)
    deadline = models.DateTimeField()
    escalated = models.BooleanField(default=False, help_text="Escalated in this opening.")
    last_activity_at = models.DateTimeField()
    owner_active_at = models.DateTimeField(help_text="Last activity by the current owner.")
    next_tickle_at = models.DateTimeField(null=True, blank=True)
    tickle_count = models.PositiveIntegerField(default=0)
    # Rule 16: waiting for the customer's answer (cases.actions.reply(waiting=True)). While
    # set, the deadline is paused: the escalation sweep skips the case (its index condition)
    # and `waiting_time_left` keeps what was left before it; `next_tickle_at` holds only the
    # give-up reminder. The customer's answer or the owner's next act resumes both.
    waiting_since = models.DateTimeField(null=True, blank=True)
    waiting_time_left = models.DurationField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    # solved_by and problem are empty while a case is open, so their indexes hold only the
    # rows that have one (below): opening a case writes neither.
    solved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="solved_cases",
        db_index=False,
    )
    resolution = models.TextField(blank=True)
    problem = models.ForeignKey(
        Problem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    one_off_reason = models.TextField(blank=True)
    # The per-case reply address is an HMAC of the pk and this secret (cases.mail_threads), so
    # it never depends on a status link's token: rotating a link keeps mail threading (rule 14).
    reply_secret = models.CharField(max_length=64, default=new_token)
    # A merged duplicate's kept case (cases.merging): its mail and status links lead there.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
        db_index=False,  # case_merged_into_idx: only the few merged rows
    )
    # Not a column: the last status link issued through this instance (status_url), so the
    # API can show a new case's link once; the database keeps only its hash.
    issued_status_url = ""

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="open") | Q(owner__isnull=False),
                name="open_case_has_owner",
            ),
        ]
        indexes = [
            # My cases: the owner's open cases, most urgent first.
            models.Index(fields=["owner", "status", "deadline"], name="case_owner_queue_idx"),
            # Tier queues: open cases at a tier by deadline.
            models.Index(fields=["tier", "status", "deadline"], name="case_tier_queue_idx"),
            # relaydesk.clock escalation sweep: open, not yet escalated, not waiting for the
            # customer (rule 16), by deadline.
            models.Index(
                fields=["deadline"],
                condition=Q(status="open", escalated=False, waiting_since__isnull=True),
                name="case_escalation_due_idx",
            ),
            # relaydesk.clock tickle sweep: open cases by their next tickle time.
            models.Index(
                fields=["next_tickle_at"],
                condition=Q(status="open"),
                name="case_tickle_due_idx",
            ),
            # Queues across tiers (tier queue, due soon): open cases by deadline.
            models.Index(
                fields=["deadline"], condition=Q(status="open"), name="case_open_deadline_idx"
            ),
            models.Index(fields=["status", "-id"], name="case_status_recent_idx"),
            models.Index(fields=["opened_at"], name="case_opened_idx"),
            models.Index(
                fields=["solved_by"],
                condition=Q(solved_by__isnull=False),
                name="case_solved_by_idx",
            ),
            models.Index(
                fields=["problem"], condition=Q(problem__isnull=False), name="case_problem_idx"
            ),
            # The closing sweep (relaydesk.clock.closing.handle_one_closing_batch): solved
            # cases, oldest solve first, closed once the company's reopen_within has passed.
            models.Index(
                fields=["solved_at"], condition=Q(status="solved"), name="case_solved_close_idx"
            ),
            # My cases and the queue showing solved or closed cases (relaydesk.web.queries
            # FINISHED): a person's, or a tier's, latest solves first. Not partial: SQLite's
            # plans for the lists (their status a bound parameter) did not use a partial one.
            models.Index(
                fields=["owner", "status", "solved_at", "id"], name="case_owner_finished_idx"
            ),
            models.Index(
                fields=["tier", "status", "solved_at", "id"], name="case_tier_finished_idx"
            ),
            # The duplicates merged into a case (cases.merging; its page lists them).
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="case_merged_into_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.subject}"

    @property
    def ref(self) -> str:
        return ref_for(self.pk)

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN


class StatusLink(models.Model):
    """A status page link (rule 14): only the SHA-256 of its token is kept, never the token.

    Each mail that carries a link issues one (relaydesk.cases.status_links.issue), so a case
    may have several live links; rotating revokes them all and issues a new one. A link works
    while it is not revoked and its case is not closed.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_links")
    token_hash = models.CharField(max_length=64, unique=True)  # the page looks links up by it
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"status link of case {self.case_id}"


class EventKind(models.TextChoices):
    OPENED = "opened", "Opened"
    ACKNOWLEDGED = "acknowledged", "Acknowledgement sent"
    TAKEN = "taken", "Taken"
    PASSED = "passed", "Passed"
    NOTE = "note", "Note"
    REPLIED = "replied", "Reply sent"
    CUSTOMER_WROTE = "customer_wrote", "Customer wrote"
    FIELD_CHANGED = "field_changed", "Field changed"
    SOLVED = "solved", "Solved"
    REOPENED = "reopened", "Reopened"
    CLOSED = "closed", "Closed"
    ESCALATED = "escalated", "Escalated"
    TICKLED = "tickled", "Tickled"
    WARNING = "warning", "Warning"
    GOODWILL = "goodwill", "Goodwill"
    SURVEY = "survey", "Survey answer"
    BOUNCED = "bounced", "Mail bounced"
    MAIL_ATTACHED = "mail_attached", "Mail attached"
    LINK_ROTATED = "link_rotated", "Status link rotated"
    RESUMED = "resumed", "Waiting ended"  # rule 16; the wait began with a `replied` (waiting)
    PROBLEM_LINKED = "problem_linked", "Linked to a problem"  # an act of the owner (rule 9)
    DISMISSED = "dismissed", "Dismissed"  # no customer problem: ends the case, not a solve
    MERGED_INTO = "merged_into", "Merged into another case"  # on the duplicate: ends it
    MERGED_FROM = "merged_from", "A duplicate merged in"  # on the kept case: its words
    CUSTOMER_MERGED = "customer_merged", "Customer merged"  # two customers were one person


class PassReason(models.TextChoices):
    NEEDS_AUTHORITY = "needs_authority", "Needs authority"
    NEEDS_EXPERTISE = "needs_expertise", "Needs expertise"
    NEEDS_OTHER_TEAM = "needs_other_team", "Needs another team"
    CUSTOMER_ASKED = "customer_asked", "Customer asked"
    SHIFT_CHANGE = "shift_change", "Shift change"


class DismissReason(models.TextChoices):
    SPAM = "spam", "Spam"
    MISDIRECTED = "misdirected", "Meant for someone else"
    TEST = "test", "A test"
    NO_PROBLEM = "no_problem", "No problem to solve"


class EventQuerySet(AppendOnlyQuerySet):
    rows = "Events"

    def overwrite_erased_words(self, *, body: str, data: dict) -> int:
        """The one exception to append-only (DESIGN rule 15): erasing a customer replaces
        their words and address in the text of their cases' events. Only
        relaydesk.cases.erasure.erase_customer calls this; who, what and when stay."""
        return models.QuerySet.update(self, body=body, data=data)  # past the refusal


class Event(AppendOnlyModel):
    """One immutable, timestamped line of a case's history. Actor None means the system."""

    rows = "Events"

    # Events are the largest table and every action writes to it, so it carries only the
    # indexes a query needs: (case, at), (kind, at), (actor, at) and at. Case and actor are
    # served by the composite indexes; from/to owner and tier are read per case or per kind
    # and month, never looked up on their own.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events", db_index=False)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    at = models.DateTimeField()  # indexed by event_time_idx (at, kind) below
    from_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    to_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    from_tier = models.ForeignKey(
        Tier, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    to_tier = models.ForeignKey(
        Tier, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    reason = models.CharField(max_length=40, blank=True)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="event_case_time_idx"),
            # The history by time, and by kind within a time range (reports), in one index that
            # new events append to at its end; (kind, at) took inserts in the middle of each
            # kind's range, where SQLite splits pages, and a separate (at) one more page.
            models.Index(fields=["at", "kind"], name="event_time_idx"),
            # A person's own events (the system's, actor NULL, are nobody's work to count).
            models.Index(
                fields=["actor", "at"],
                condition=Q(actor__isnull=False),
                name="event_actor_time_idx",
            ),
            # Deadlines a person missed: escalations away from them over a year (the career
            # page, relaydesk/insights/career.py _missed). Escalations are few among events.
            models.Index(
                fields=["from_owner", "at"],
                condition=Q(kind="escalated"),
                name="event_escalated_from_idx",
            ),
            # Waits for the customer that ended in or after a month (the trail's waiting time,
            # relaydesk/insights/waiting.py): the `resumed` events only, few among events.
            models.Index(fields=["at"], condition=Q(kind="resumed"), name="event_resumed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def actor_label(self) -> str:
        actor = self.actor  # no query when there is no actor
        if actor is None:
            return "system"
        return actor.get_full_name() or actor.username


class Notification(models.Model):
    """An in-app line for a staff member (the bell); its email goes through the outbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(Case, null=True, on_delete=models.CASCADE)
    event = models.ForeignKey(Event, null=True, on_delete=models.DO_NOTHING, related_name="+")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # Waiting for the person's next digest mail (relaydesk.cases.notify); `mail` is the
    # digest that carried the line.
    mail_pending = models.BooleanField(default=False)
    mail = models.ForeignKey(
        "outbox.OutgoingMail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never looked up by mail
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            # The bell's page (relaydesk.web.notifications): a person's newest lines already
            # read, without sorting all of them (an executive is told of every escalation).
            models.Index(fields=["user", "created_at"], name="notification_user_time_idx"),
            # relaydesk.cases.notify's digest step: pending lines, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(mail_pending=True),
                name="notification_mail_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Attachment(models.Model):
    """A file that came with a message, kept under a generated name; served only as a download."""

    raw_message = models.ForeignKey(
        "intake.RawMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=255, default="application/octet-stream")
    size = models.PositiveBigIntegerField()
    stored_name = models.CharField(max_length=100, unique=True)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "intake_attachment"  # the table kept its name when attachments moved here

    def __str__(self) -> str:
        return self.original_name


class SurveyAnswer(models.Model):
    """The customer's answer to the survey of one solve (rule 12): once per case and opening.

    Written only by relaydesk.cases.actions.answer_survey, from a submitted form (never a GET:
    mail scanners open every link). `solved_by` is who the answer and its delight are credited
    to (rule 9); a rating of 5 is a delighted customer.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="survey_answers")
    opening = models.PositiveIntegerField(help_text="The opening whose solve was asked about.")
    solved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # served by survey_solver_time_idx
    )
    rating = models.PositiveSmallIntegerField()
    delighted = models.TextField(blank=True, help_text="What delighted you?")
    fix = models.TextField(blank=True, help_text="What should we fix?")
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "opening"], name="survey_once_per_solve"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="survey_rating_1_to_5"
            ),
        ]
        indexes = [
            # The person page's delighted customers (relaydesk.web.queries.delighted_customers).
            models.Index(fields=["solved_by", "answered_at"], name="survey_solver_time_idx"),
        ]

    def __str__(self) -> str:
        return f"survey of case {self.case_id}, opening {self.opening}: {self.rating}"

    @property
    def is_delighted(self) -> bool:
        return self.rating == 5


class Spell(models.Model):
    """One stretch of ownership of a case by one person (DESIGN rule 9), derived from events.

    Written by relaydesk.cases.spells in the transaction of the event that starts, ends or
    adds an act to it; `relaydesk manage rebuild_spells` builds them again from the events.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="spells", db_index=False)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The case's tier when the holder received it.
    tier = models.ForeignKey(
        Tier, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    started_at = models.DateTimeField()
    start_event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # How the holder received it: opened, passed, taken, escalated, reopened (the event kind).
    start_how = models.CharField(max_length=20)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # solved, passed_up, passed_same, passed_down, taken, escalated, closed; empty while held.
    end_how = models.CharField(max_length=20, blank=True)
    # Who ended it (the solver, passer or taker; None for the system) and at which tier.
    end_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    end_tier = models.ForeignKey(
        Tier, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The holder's acts inside the spell (notes, replies, details, files, goodwill): a pass
    # ending a spell without any is bare.
    acts = models.PositiveIntegerField(default=0)
    # A spell ended by a solve: the time from the case's opening (or reopening) to the solve,
    # and the problem the solve linked (its id as the event names it), for the trail's median
    # time to solve and top problems (relaydesk.insights.counts).
    solve_time = models.DurationField(null=True, blank=True)
    solve_problem = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [
            # A case's spells in order; the open one of a case (the actions' hook), and the
            # spells of the cases held at a month's start (relaydesk.insights.spells).
            models.Index(fields=["case", "started_at"], name="spell_case_start_idx"),
            # The trail: the distinct cases each holder received in a month (covering).
            models.Index(fields=["started_at", "holder", "case"], name="spell_start_idx"),
            # The trail: spells ended in a month by a pass, and the bare ones, per ender; and
            # those that ended since a month's start but began before it (held at its start,
            # insights.spells.spanning_start), covering both.
            models.Index(
                fields=["ended_at", "end_actor", "end_how", "acts", "started_at", "holder", "case"],
                condition=Q(ended_at__isnull=False),
                name="spell_end_idx",
            ),
            # A person's spells (their month page, career).
            models.Index(fields=["holder", "started_at"], name="spell_holder_start_idx"),
            # The trail: the spells still held that began before a month's start (held at
            # its start, insights.spells.spanning_start): the open ones only.
            models.Index(
                fields=["started_at", "holder", "case"],
                condition=Q(ended_at__isnull=True),
                name="spell_open_idx",
            ),
            # The trail: the month's solves' times (the median, sorted by the database) and
            # the problems they linked (top problems), only the spells that a solve ended.
            models.Index(
                fields=["ended_at", "solve_time"],
                condition=Q(solve_time__isnull=False),
                name="spell_solve_time_idx",
            ),
            models.Index(
                fields=["ended_at", "solve_problem", "case"],
                condition=Q(solve_problem__isnull=False),
                name="spell_solve_problem_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_at__isnull=True), name="spell_one_open_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"spell of case {self.case_id} by {self.holder_id} from {self.started_at}"


class DayCount(models.Model):
    """One local day's counts of events (in the company's time zone) for one actor at one
    tier: the trail's month is the sum of its days (DESIGN rule 9), read instead of the
    month's events. Written by relaydesk.cases.day_counts.count in each event's transaction;
    `relaydesk manage rebuild_day_counts` builds them again from the events (as does saving
    the company with another time zone, since the days are local)."""

    # "day|actor|tier" ("-" for none): one row each, unique even where actor or tier is null.
    key = models.CharField(max_length=48, unique=True)
    day = models.DateField()
    # Who acted (None: the system, e.g. an escalation or a mail opening a case).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # The case's tier before the event (a solve's tier is the pyramid's).
    tier = models.ForeignKey(
        Tier, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    solved = models.PositiveIntegerField(default=0)
    solved_before_deadline = models.PositiveIntegerField(default=0)
    passed_up = models.PositiveIntegerField(default=0)
    passed_same = models.PositiveIntegerField(default=0)
    passed_down = models.PositiveIntegerField(default=0)
    taken = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    sent_anyway = models.PositiveIntegerField(default=0)
    opened = models.PositiveIntegerField(default=0)
    realtime = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="day_count_day_idx")]

    def __str__(self) -> str:
        return self.key
