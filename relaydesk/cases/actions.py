"""The only code that changes a case.

Each action checks its rule, reads the clock once, updates the row, appends its event and
queues its mail in one transaction, and raises DomainError with a plain sentence when a rule
is broken (nothing is written then). `acting` is the person doing it; None means the system.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import prefetch_related_objects

from relaydesk import rows
from relaydesk.cases import routing
from relaydesk.cases.acknowledgement import acknowledge
from relaydesk.cases.deadlines import deadline_for, next_tickle_after
from relaydesk.cases.details import clean_details, missing_required
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import (
    Case,
    Channel,
    Customer,
    Event,
    EventKind,
    PassReason,
    Status,
)
from relaydesk.cases.notify import notify
from relaydesk.group_commit import grouped, grouping
from relaydesk.org.models import Category, Staff, Tier
from relaydesk.problems.models import Problem
from relaydesk.timekeeping import now

MAX_NOTE = 20_000
CHANNELS = frozenset(Channel.values)  # Channel.values builds a new list on every call


def name_of(user: User | None) -> str:
    if user is None:
        return "the system"
    return user.get_full_name() or user.username


def staff_of(user: User) -> Staff:
    """The acting person's staff profile; only active staff act on cases."""
    staff = getattr(user, "staff", None) if user is not None else None
    if staff is None or not staff.active or not user.is_active:
        raise DomainError(f"{name_of(user)} is not active staff, so cannot act on cases.")
    return staff


def _locked(case: Case) -> Case:
    """The case row, locked for this transaction (PostgreSQL row lock; SQLite's write lock).

    The lock is taken on the bare row, then the row is read with its relations. A locking
    query with joins is wrong under concurrency: when the row changed while PostgreSQL waited
    for the lock, it re-checks the new row against the joined rows it read *before* waiting
    (the old owner), so a case just taken or passed by someone else came back as missing
    (tests/pg/test_single_owner_under_concurrency.py).
    """
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).get()
    return Case.objects.select_related("category", "customer", "tier", "owner").get(pk=case.pk)


def _text(value: str | None, what: str, *, field: str, limit: int = MAX_NOTE) -> str:
    text = (value or "").strip()
    if not text:
        raise Incomplete(f"Write {what}.", fields={field: "This is required."})
    if len(text) > limit:
        raise Incomplete(f"Keep {what} under {limit} characters.")
    return text


def _owner_acted(case: Case, moment) -> None:
    """The owner did something: the idle clock (tickles) starts again."""
    case.last_activity_at = moment
    case.owner_active_at = moment
    case.next_tickle_at = next_tickle_after(case.category, moment)
    case.tickle_count = 0


def _new_owner(case: Case, staff: Staff, moment) -> None:
    case.owner = staff.user
    case.tier = staff.tier
    _owner_acted(case, moment)


def _event(case: Case, kind: str, moment, acting: User | None, **fields) -> Event:
    return rows.insert(rows.new(Event, case=case, kind=kind, at=moment, actor=acting, **fields))


def find_or_create_customer(*, name: str, email: str = "", phone: str = "") -> Customer:
    email = (email or "").strip().lower()
    phone = (phone or "").strip()
    name = (name or "").strip() or email or phone
    if not name:
        raise Incomplete("Give the customer's name, email or phone.", fields={"name": "Required."})
    existing = None
    if email:
        existing = Customer.objects.filter(email=email).order_by("id").first()
    elif phone:
        existing = Customer.objects.filter(phone=phone).order_by("id").first()
    if existing is not None:
        return existing
    return Customer.objects.create(name=name[:200], email=email, phone=phone, created_at=now())


def open_case(
    *,
    customer: Customer,
    category: Category,
    subject: str,
    details: dict | None = None,
    channel: str = Channel.PHONE,
    realtime_triggers: list[str] | tuple[str, ...] = (),
    real_need: str = "",
    acting: User | None = None,
) -> Case:
    """Domain rule 1: staff intake owns its case; other channels route to an on-duty person."""
    subject = _text(subject, "a subject", field="subject", limit=300)
    if not category.active:
        raise DomainError(f"{category.name} is no longer taking new cases.")
    if channel not in CHANNELS:
        raise Incomplete(f"Unknown channel {channel!r}.", fields={"channel": "Unknown."})
    if "fields" not in getattr(category, "_prefetched_objects_cache", {}):
        # Read once per Category instance: a caller opening many cases (the demo, mail)
        # with one instance reads the fields once; a request reads them fresh.
        prefetch_related_objects([category], "fields")
    details = clean_details(category, details or {})
    unknown = realtime_triggers and sorted(
        set(realtime_triggers) - {t.key for t in category.realtime_triggers.all()}
    )
    if unknown:
        raise Incomplete(
            f"{category.name} has no realtime trigger {', '.join(unknown)}.",
            fields={"realtime_triggers": "Unknown trigger."},
        )
    realtime = bool(realtime_triggers)
    intake_staff = staff_of(acting) if acting is not None else None

    def write() -> Case:
        moment = now()
        if intake_staff is not None and not realtime:
            owner = intake_staff
        else:
            try:
                owner = routing.intake_owner(category, realtime=realtime)
            except DomainError:
                if intake_staff is None:
                    raise
                owner = intake_staff  # no realtime handler on duty: the intake person keeps it
        case = rows.new(
            Case,
            customer=customer,
            category=category,
            subject=subject,
            real_need=(real_need or "").strip(),
            details=details,
            channel=channel,
            realtime=realtime,
            opened_at=moment,
            deadline=deadline_for(category, moment, realtime=realtime),
        )
        _new_owner(case, owner, moment)
        rows.insert(case)
        opened = _event(
            case,
            EventKind.OPENED,
            moment,
            acting,
            to_owner=owner.user,
            to_tier=owner.tier,
            body=subject,
            data={
                "channel": channel,
                "realtime": realtime,
                "realtime_triggers": sorted(realtime_triggers),
                "deadline": case.deadline.isoformat(),
            },
        )
        acknowledge(case)
        if owner.user != acting:
            notify(owner.user, case=case, event=opened, text=f"{case.ref} is yours: {subject}")
        return case

    # Cases arrive in bursts (intake pages, /contact and the API at once): on SQLite, those
    # opened together share one commit (relaydesk/group_commit.py).
    return grouped(write)


@grouping
def take(case: Case, *, acting: User) -> Case:
    """Domain rule 4: anyone at the case's tier or above grabs it from the current owner."""
    taker = staff_of(acting)
    with transaction.atomic():
        case = _locked(case)
        if not case.is_open:
            raise DomainError(
                f"{case.ref} is {case.get_status_display().lower()}; reopen it first."
            )
        if case.owner_id == acting.pk:
            raise DomainError(f"{case.ref} is already yours.")
        if taker.tier.rank < case.tier.rank:
            raise DomainError(
                f"{case.ref} is at {case.tier.name}; {name_of(acting)} at {taker.tier.name} "
                "cannot take it from above."
            )
        moment = now()
        previous_owner, previous_tier = case.owner, case.tier
        _new_owner(case, taker, moment)
        case.save()
        event = _event(
            case,
            EventKind.TAKEN,
            moment,
            acting,
            from_owner=previous_owner,
            to_owner=acting,
            from_tier=previous_tier,
            to_tier=taker.tier,
        )
        notify(
            previous_owner,
            case=case,
            event=event,
            text=f"{name_of(acting)} took {case.ref} from you",
        )
    return case


@grouping
def pass_case(
    case: Case,
    *,
    acting: User,
    reason: str,
    note: str,
    to_user: User | None = None,
    to_tier: Tier | None = None,
) -> Case:
    """Domain rules 2 and 3: the owner hands on, with a reason and a note, to a person or a tier."""
    staff_of(acting)
    if reason not in PassReason.values:
        raise Incomplete(
            f"Choose a reason for passing: {', '.join(PassReason.values)}.",
            fields={"reason": "Choose a reason."},
        )
    note = _text(note, "a note for the next owner", field="note")
    if (to_user is None) == (to_tier is None):
        raise Incomplete(
            "Pass to a named person or to a tier (one of them).",
            fields={"to": "Choose a person or a tier."},
        )
    with transaction.atomic():
        case = _locked(case)
        if not case.is_open:
            raise DomainError(
                f"{case.ref} is {case.get_status_display().lower()}; it cannot be passed."
            )
        if case.owner_id != acting.pk:
            raise DomainError(
                f"Only the owner can pass {case.ref}; it is owned by {name_of(case.owner)}."
            )
        if to_user is not None:
            if to_user.pk == acting.pk:
                raise DomainError(f"{case.ref} is already yours; pass it to someone else.")
            receiver = staff_of_receiver(to_user)
        else:
            receiver = routing.least_loaded(to_tier, case.category, exclude_user_id=acting.pk)
        if receiver.tier.rank > case.tier.rank:
            missing = missing_required(case.category, case.details)
            if missing:
                labels = ", ".join(field.label for field in missing)
                raise Incomplete(
                    f"Complete the required details before passing {case.ref} up: {labels}.",
                    fields={field.key: "Required before passing up." for field in missing},
                )
        moment = now()
        previous_tier = case.tier
        _new_owner(case, receiver, moment)
        case.save()
        event = _event(
            case,
            EventKind.PASSED,
            moment,
            acting,
            from_owner=acting,
            to_owner=receiver.user,
            from_tier=previous_tier,
            to_tier=receiver.tier,
            reason=reason,
            body=note,
            data={"direction": _direction(previous_tier, receiver.tier)},
        )
        notify(
            receiver.user,
            case=case,
            event=event,
            text=f"{name_of(acting)} passed {case.ref} to you ({PassReason(reason).label.lower()})",
        )
    return case


def staff_of_receiver(user: User) -> Staff:
    staff = getattr(user, "staff", None)
    if staff is None or not staff.active or not user.is_active:
        raise DomainError(f"{name_of(user)} is not active staff, so cannot receive a case.")
    return staff


def _direction(from_tier: Tier, to_tier: Tier) -> str:
    if to_tier.rank > from_tier.rank:
        return "up"
    if to_tier.rank < from_tier.rank:
        return "down"
    return "same"


@grouping
def add_note(case: Case, *, acting: User, body: str) -> Event:
    """Any staff member may add a note; a note by the owner counts as the owner's activity."""
    staff_of(acting)
    body = _text(body, "the note", field="body")
    with transaction.atomic():
        case = _locked(case)
        moment = now()
        if case.is_open and case.owner_id == acting.pk:
            _owner_acted(case, moment)
        else:
            case.last_activity_at = moment
        case.save(
            update_fields=["last_activity_at", "owner_active_at", "next_tickle_at", "tickle_count"]
        )
        return _event(case, EventKind.NOTE, moment, acting, body=body)


@grouping
def solve(
    case: Case,
    *,
    acting: User,
    resolution: str,
    one_off_reason: str = "",
    problem: Problem | None = None,
    new_problem_title: str = "",
) -> Case:
    """Domain rule 5: the owner solves it twice: this customer's fix and the root-cause decision."""
    staff_of(acting)
    resolution = _text(resolution, "the resolution", field="resolution")
    one_off_reason = (one_off_reason or "").strip()
    new_problem_title = (new_problem_title or "").strip()
    decisions = sum(bool(x) for x in (one_off_reason, problem, new_problem_title))
    if decisions != 1:
        raise Incomplete(
            "Fix it twice: link the root-cause problem, open a new problem, or say why this is "
            "a one-off (exactly one of them).",
            fields={"one_off_reason": "Choose the second fix."},
        )
    with transaction.atomic():
        case = _locked(case)
        if not case.is_open:
            raise DomainError(f"{case.ref} is already {case.get_status_display().lower()}.")
        if case.owner_id != acting.pk:
            raise DomainError(
                f"Only the owner can solve {case.ref}; it is owned by {name_of(case.owner)}."
            )
        moment = now()
        if new_problem_title:
            problem = Problem.objects.create(
                title=new_problem_title[:200], created_at=moment, created_by=acting
            )
        case.status = Status.SOLVED
        case.solved_at = moment
        case.solved_by = acting
        case.resolution = resolution
        case.problem = problem
        case.one_off_reason = one_off_reason
        case.last_activity_at = moment
        case.next_tickle_at = None
        case.save()
        _event(
            case,
            EventKind.SOLVED,
            moment,
            acting,
            from_owner=acting,
            from_tier=case.tier,
            body=resolution,
            data={
                "problem_id": problem.pk if problem else None,
                "one_off_reason": one_off_reason,
                "before_deadline": moment <= case.deadline,
            },
        )
    return case


@grouping
def reopen(case: Case, *, acting: User | None, why: str, by_customer: bool = False) -> Case:
    """Domain rule 8: back to whoever solved it when they are active, else routed; new deadline."""
    if acting is not None:
        staff_of(acting)
    elif not by_customer:
        raise DomainError("Only staff or the customer can reopen a case.")
    why = _text(why, "why it is reopened", field="why")
    with transaction.atomic():
        case = _locked(case)
        if case.is_open:
            raise DomainError(f"{case.ref} is already open.")
        solver = getattr(case.solved_by, "staff", None) if case.solved_by_id else None
        if solver is not None and solver.active and solver.user.is_active:
            receiver = solver
        else:
            receiver = routing.intake_owner(case.category, realtime=False)
        moment = now()
        case.status = Status.OPEN
        case.opening += 1
        case.escalated = False
        case.deadline = deadline_for(case.category, moment, realtime=case.realtime)
        case.solved_at = None
        previous_tier = case.tier
        _new_owner(case, receiver, moment)
        case.save()
        event = _event(
            case,
            EventKind.REOPENED,
            moment,
            acting,
            to_owner=receiver.user,
            from_tier=previous_tier,
            to_tier=receiver.tier,
            body=why,
            data={
                "by": "customer" if by_customer else "staff",
                "opening": case.opening,
                "deadline": case.deadline.isoformat(),
            },
        )
        if receiver.user != acting:
            who = "The customer" if by_customer else name_of(acting)
            notify(receiver.user, case=case, event=event, text=f"{who} reopened {case.ref}")
    return case


def update_details(
    case: Case, *, acting: User, details: dict | None = None, real_need: str | None = None
) -> Event | None:
    """Complete or correct intake facts later (e.g. after asking the customer).

    Each changed field is recorded with its old and new value; nothing changed, no event.
    """
    staff_of(acting)
    with transaction.atomic():
        case = _locked(case)
        changes: dict[str, dict] = {}
        if details is not None:
            cleaned = clean_details(case.category, details)
            merged = dict(case.details)
            for key in details:
                new_value = cleaned.get(key)
                if merged.get(key) != new_value:
                    changes[key] = {"old": merged.get(key), "new": new_value}
                    if new_value is None:
                        merged.pop(key, None)
                    else:
                        merged[key] = new_value
            case.details = merged
        if real_need is not None and real_need.strip() != case.real_need:
            changes["real_need"] = {"old": case.real_need, "new": real_need.strip()}
            case.real_need = real_need.strip()
        if not changes:
            return None
        moment = now()
        if case.is_open and case.owner_id == acting.pk:
            _owner_acted(case, moment)
        else:
            case.last_activity_at = moment
        case.save()
        return _event(
            case,
            EventKind.FIELD_CHANGED,
            moment,
            acting,
            data={"changes": changes},
        )


@grouping
def close(case: Case, *, acting: User | None, why: str = "") -> Case:
    """A solved case becomes closed (final, e.g. after a happy survey); closed cases can still
    be reopened by the customer or staff."""
    if acting is not None:
        staff_of(acting)
    with transaction.atomic():
        case = _locked(case)
        if case.status != Status.SOLVED:
            raise DomainError(f"Only a solved case can be closed; {case.ref} is {case.status}.")
        moment = now()
        case.status = Status.CLOSED
        case.last_activity_at = moment
        case.save(update_fields=["status", "last_activity_at"])
        _event(case, EventKind.CLOSED, moment, acting, body=(why or "").strip())
    return case


def customer_wrote(
    case: Case,
    *,
    body: str,
    message_id: str = "",
    subject: str = "",
    sender: str = "",
    via: str = "",
    attachments: list[dict] | tuple = (),
    notes: list[str] | tuple = (),
    automatic: bool = False,
    wake: bool = True,
) -> Event:
    """The customer's words (an email, a portal message) land on the case.

    It counts as customer activity and wakes the owner now: the tickle is due at once and the
    owner is told. A solved or closed case is reopened by the customer first (rule 8). An
    automatic message (an out-of-office) is recorded but wakes and reopens nothing.
    """
    with transaction.atomic():
        case = _locked(case)
        if not case.is_open and not automatic:
            why = (body or subject or "The customer wrote again.")[:2000]
            reopen(case, acting=None, why=why, by_customer=True)
            case = _locked(case)
        moment = now()
        event = _event(
            case,
            EventKind.CUSTOMER_WROTE,
            moment,
            None,
            body=(body or "").replace("\x00", "")[: MAX_NOTE * 5],
            data={
                "message_id": message_id,
                "subject": subject,
                "from": sender,
                "via": via,
                "attachments": list(attachments),
                "notes": list(notes),
                "automatic": automatic,
            },
        )
        if automatic:
            return event
        case.last_activity_at = moment
        if wake and case.is_open:
            case.next_tickle_at = moment
            case.save(update_fields=["last_activity_at", "next_tickle_at"])
            notify(case.owner, case=case, event=event, text=f"The customer wrote on {case.ref}")
        else:
            case.save(update_fields=["last_activity_at"])
    return event


def record_bounce(
    case: Case, *, recipient: str, status: str, diagnostic: str, message_id: str
) -> Event:
    """A delivery failure about one of our messages: recorded, the owner told, nobody answered."""
    with transaction.atomic():
        case = _locked(case)
        moment = now()
        event = _event(
            case,
            EventKind.BOUNCED,
            moment,
            None,
            body=f"Mail to {recipient or 'the customer'} was not delivered. {diagnostic}".strip(),
            data={
                "recipient": recipient,
                "status": status,
                "diagnostic": diagnostic,
                "message_id": message_id,
            },
        )
        if case.is_open:
            notify(
                case.owner,
                case=case,
                event=event,
                text=f"Mail to the customer of {case.ref} bounced",
            )
    return event


def attach_mail(
    case: Case, *, acting: User, body: str, subject: str, sender: str, attachments: list[dict]
) -> Event:
    """Staff attach a quarantined message to a case: the customer's words join its history."""
    staff_of(acting)
    with transaction.atomic():
        case = _locked(case)
        moment = now()
        event = _event(
            case,
            EventKind.MAIL_ATTACHED,
            moment,
            acting,
            body=(body or "").replace("\x00", "")[: MAX_NOTE * 5],
            data={"subject": subject, "from": sender, "attachments": attachments},
        )
        case.last_activity_at = moment
        case.save(update_fields=["last_activity_at"])
        if case.is_open and case.owner_id != acting.pk:
            notify(
                case.owner,
                case=case,
                event=event,
                text=f"{name_of(acting)} attached a message from {sender or 'someone'}",
            )
    return event
