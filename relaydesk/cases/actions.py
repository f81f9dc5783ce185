"""The only code that changes a case.

Each action checks its rule, reads the clock once, updates the row, appends its event and
queues its mail in one transaction, and raises DomainError with a plain sentence when a rule
is broken (nothing is written then). `acting` is the person doing it; None means the system.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import prefetch_related_objects

from relaydesk.cases import customer_mail, day_counts, routing, spells, status_links
from relaydesk.cases.acknowledgement import acknowledge
from relaydesk.cases.deadlines import deadline_for, next_tickle_after
from relaydesk.cases.details import clean_details, missing_required
from relaydesk.cases.errors import DomainError, Incomplete, ToneWarned
from relaydesk.cases.models import (
    Attachment,
    Case,
    Channel,
    Customer,
    Event,
    EventKind,
    PassReason,
    Status,
    SurveyAnswer,
)
from relaydesk.cases.notify import notify
from relaydesk.cases.uploads import UploadBatch, link, problem_with, safe_label
from relaydesk.org.company import reopen_within, waiting_gives_up
from relaydesk.org.models import Category, FieldType, Staff, Tier
from relaydesk.problems import actions as problems
from relaydesk.problems.models import Problem
from relaydesk.timekeeping import now

MAX_NOTE = 20_000
MAX_REPLY_FILES = 10
CHANNELS = frozenset(Channel.values)  # Channel.values builds a new list on every call
# Every line break str.splitlines() knows, with the spaces around it. A subject goes into mail
# headers (the acknowledgement's, the owner's notification), where a line break is refused.
LINE_BREAK = re.compile(r"\s*[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+\s*")


def name_of(user: User | None) -> str:
    if user is None:
        return "the system"
    return user.get_full_name() or user.username


def staff_of(user: User | None) -> Staff:
    """The acting person's staff profile; only active staff act on cases."""
    staff = getattr(user, "staff", None) if user is not None else None
    if user is None or staff is None or not staff.active or not user.is_active:
        raise DomainError(f"{name_of(user)} is not active staff, so cannot act on cases.")
    return staff


def one_line(text: str) -> str:
    """`text` with each line break (and the spaces around it) made one space."""
    return LINE_BREAK.sub(" ", text or "")


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


def _owner(case: Case) -> User:
    """The owner of a case that has one (an open case always has: a database constraint)."""
    if case.owner is None:
        raise DomainError(f"{case.ref} has no owner.")
    return case.owner


def _text(value: str | None, what: str, *, field: str, limit: int = MAX_NOTE) -> str:
    text = (value or "").strip()
    if not text:
        raise Incomplete(f"Write {what}.", fields={field: "This is required."})
    if len(text) > limit:
        raise Incomplete(f"Keep {what} under {limit} characters.")
    return text


def _owner_acted(case: Case, moment: datetime) -> None:
    """The owner did something: the idle clock (tickles) starts again."""
    case.last_activity_at = moment
    case.owner_active_at = moment
    case.next_tickle_at = next_tickle_after(case.category, moment)
    case.tickle_count = 0


def _new_owner(case: Case, staff: Staff, moment: datetime) -> None:
    case.owner = staff.user
    case.tier = staff.tier
    _owner_acted(case, moment)


def _event(case: Case, kind: str, moment: datetime, acting: User | None, **fields: Any) -> Event:
    """The one writer of a case's events; the case's spells follow each (same transaction)."""
    event = Event.objects.create(case=case, kind=kind, at=moment, actor=acting, **fields)
    spells.follow(event)
    day_counts.count(event)
    return event


# The columns waiting for the customer changes (rule 16), for actions that save a few fields.
WAITING_FIELDS = ("deadline", "waiting_since", "waiting_time_left", "next_tickle_at")
# What an act on a case may change of its clocks: the idle clock (tickles) and a wait it ends.
ACTIVITY_FIELDS = sorted(
    {"last_activity_at", "owner_active_at", "next_tickle_at", "tickle_count", *WAITING_FIELDS}
)


def _start_waiting(case: Case, moment: datetime) -> None:
    """Rule 16: the deadline pauses, keeping the time that was left, and so do the tickles:
    the one reminder left is the give-up one, `waiting_gives_up` from now (clock.actions.tickle).
    The `replied` event (data `waiting: true`) records the start."""
    case.waiting_since = moment
    case.waiting_time_left = case.deadline - moment
    case.next_tickle_at = moment + waiting_gives_up()


def _end_waiting(case: Case, moment: datetime, acting: User | None) -> Event | None:
    """Rule 16: the wait ends and the deadline resumes with the time that was left (now + left).

    Who ends it (the simplest honest rule, no separate "stop waiting" action): the customer's
    verified, non-automatic words (customer_wrote), and any act of the owner that restarts the
    idle clock: a note, a reply (one that waits again starts a new wait), a details change, a
    pass, a solve; and a take, since the case changes hands.

    A `resumed` event records the end, whoever ended it (`acting` None: the customer's
    answer), so the trail can add up the time spent waiting from the events alone. The caller
    restarts the tickles (the owner's act, or the customer's words waking the owner) and saves
    WAITING_FIELDS. Not waiting: nothing changes, no event.
    """
    since, left = case.waiting_since, case.waiting_time_left
    if since is None:
        return None
    left = left if left is not None else timedelta(0)
    case.deadline = moment + left
    case.waiting_since = None
    case.waiting_time_left = None
    return _event(
        case,
        EventKind.RESUMED,
        moment,
        acting,
        data={
            "by": "customer" if acting is None else "staff",
            "waiting_since": since.isoformat(),
            "waited_seconds": int((moment - since).total_seconds()),
            "time_left_seconds": int(left.total_seconds()),
            "deadline": case.deadline.isoformat(),
        },
    )


def _customer_words(case: Case, moment: datetime, *, body: str, data: dict[str, Any]) -> Event:
    """The customer's own words on the case's timeline; `data` says where they came from."""
    return _event(
        case,
        EventKind.CUSTOMER_WROTE,
        moment,
        None,
        body=(body or "").replace("\x00", "")[: MAX_NOTE * 5],
        data={
            "message_id": "",
            "subject": "",
            "from": "",
            "via": "",
            "attachments": [],
            "notes": [],
            "automatic": False,
            "verified": True,  # rule 11: False for mail without proof (_unverified_words)
            **data,
        },
    )


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
    if existing is not None and existing.merged_into_id is not None:  # cases.merging
        return Customer.objects.get(pk=existing.merged_into_id)
    if existing is not None:
        return existing
    return Customer.objects.create(name=name[:200], email=email, phone=phone, created_at=now())


# Opening a case ------------------------------------------------------------------------------


class Lane(NamedTuple):
    realtime: bool
    deadline: datetime


def lane_if_opened_now(category: Category, *, realtime_triggers: Iterable[str] = ()) -> Lane:
    """The lane and deadline open_case would give a `category` case opened now with these
    realtime answers (unknown ones count for nothing): the promise intake reads out before
    the case exists. The opened case's own deadline is what open_case returns."""
    known = {trigger.key for trigger in category.realtime_triggers.all()}
    realtime = bool(set(realtime_triggers) & known)
    return Lane(realtime, deadline_for(category, now(), realtime=realtime))


def _checked_triggers(category: Category, realtime_triggers: Sequence[str]) -> list[str]:
    unknown = realtime_triggers and sorted(
        set(realtime_triggers) - {t.key for t in category.realtime_triggers.all()}
    )
    if unknown:
        raise Incomplete(
            f"{category.name} has no realtime trigger {', '.join(unknown)}.",
            fields={"realtime_triggers": "Unknown trigger."},
        )
    return sorted(realtime_triggers)


def _checked_files(
    category: Category, files: Mapping[str, UploadedFile] | None
) -> dict[str, UploadedFile]:
    """The uploads for `category`'s file fields, each one a file the upload rules keep."""
    if not files:
        return {}
    file_fields = {field.key for field in category.fields.all() if field.type == FieldType.FILE}
    errors = {
        key: f"{category.name} has no file field {key!r}."
        for key in files
        if key not in file_fields
    }
    for key, upload in files.items():
        errors.setdefault(key, problem_with(upload))
    errors = {key: problem for key, problem in errors.items() if problem}
    if errors:
        summary = "; ".join(f"{key}: {problem}" for key, problem in errors.items())
        raise Incomplete(f"Some files cannot be kept: {summary}", fields=errors)
    return dict(files)


def _intake_owner(category: Category, *, realtime: bool, intake_staff: Staff | None) -> Staff:
    """Rule 1: the intake person keeps a case they open; other channels route it."""
    if intake_staff is not None and not realtime:
        return intake_staff
    try:
        return routing.intake_owner(category, realtime=realtime)
    except DomainError:
        if intake_staff is None:
            raise
        return intake_staff  # no realtime handler on duty: the intake person keeps it


def _checked_opening(
    category: Category,
    *,
    channel: str,
    details: dict | None,
    files: Mapping[str, UploadedFile] | None,
    customer_given: bool,
    contact_given: bool,
) -> tuple[dict, dict[str, UploadedFile]]:
    """open_case's checks that need no transaction: the cleaned details and the files."""
    if customer_given and contact_given:
        raise TypeError("open_case takes customer= or the customer's contact details, not both.")
    if not category.active:
        raise DomainError(f"{category.name} is no longer taking new cases.")
    if channel not in CHANNELS:
        raise Incomplete(f"Unknown channel {channel!r}.", fields={"channel": "Unknown."})
    if "fields" not in getattr(category, "_prefetched_objects_cache", {}):
        # Read once per Category instance: a caller opening many cases (the demo, mail)
        # with one instance reads the fields once; a request reads them fresh.
        prefetch_related_objects([category], "fields")
    return clean_details(category, details or {}), _checked_files(category, files)


def _opened(
    case: Case,
    owner: Staff,
    moment: datetime,
    acting: User | None,
    *,
    triggers: list[str],
    follow_up_of: Case | None = None,
) -> Event:
    """Save the new `case` with its owner, lane and deadline; its `opened` event."""
    case.realtime = bool(triggers)
    case.opened_at = moment
    case.deadline = deadline_for(case.category, moment, realtime=case.realtime)
    _new_owner(case, owner, moment)
    case.save()
    return _event(
        case,
        EventKind.OPENED,
        moment,
        acting,
        to_owner=owner.user,
        to_tier=owner.tier,
        body=case.subject,
        data={
            "channel": case.channel,
            "realtime": case.realtime,
            "realtime_triggers": triggers,
            "deadline": case.deadline.isoformat(),
            **({"follow_up_of": follow_up_of.ref} if follow_up_of is not None else {}),
        },
    )


def _follow_up_noted(earlier: Case, case: Case, moment: datetime) -> None:
    """Rule 8: the closed case points to the case its customer's new word opened."""
    _event(
        earlier,
        EventKind.NOTE,
        moment,
        None,
        body=f"The customer wrote again after this case closed; that opened {case.ref}.",
        data={"follow_up": case.ref},
    )


def open_case(
    *,
    customer: Customer | None = None,
    customer_name: str = "",
    customer_email: str = "",
    customer_phone: str = "",
    category: Category,
    subject: str,
    details: dict | None = None,
    files: Mapping[str, UploadedFile] | None = None,
    channel: str = Channel.PHONE,
    realtime_triggers: Sequence[str] = (),
    real_need: str = "",
    customer_message: str = "",
    in_reply_to: str = "",
    references: Sequence[str] = (),
    acknowledgement_suppressed: str = "",
    acting: User | None = None,
    follow_up_of: Case | None = None,
) -> Case:
    """Domain rule 1: staff intake owns its case; other channels route to an on-duty person.

    Every channel opens its cases here, all in one transaction: the customer (`customer`, or
    found or created from `customer_name`, `customer_email`, `customer_phone`), the uploaded
    `files` of the category's file fields (by field key), the case and its opening event, the
    customer's own words (`customer_message`), the acknowledgement and the owner's
    notification. A refusal leaves no row and no file. Mail threads the acknowledgement under
    the message the case came from (`in_reply_to`, `references`), or says why none may be sent
    (`acknowledgement_suppressed`: the message was automatic). `follow_up_of`: the closed
    case whose customer wrote again (rule 8); each case names the other in its history.
    """
    subject = _text(one_line(subject), "a subject", field="subject", limit=300)
    details, files = _checked_opening(
        category,
        channel=channel,
        details=details,
        files=files,
        customer_given=customer is not None,
        contact_given=bool(customer_name or customer_email or customer_phone),
    )
    triggers = _checked_triggers(category, realtime_triggers)
    realtime = bool(triggers)
    intake_staff = staff_of(acting) if acting is not None else None
    with UploadBatch() as batch, transaction.atomic():
        moment = now()
        owner = _intake_owner(category, realtime=realtime, intake_staff=intake_staff)
        if customer is None:
            customer = find_or_create_customer(
                name=customer_name, email=customer_email, phone=customer_phone
            )
        elif customer.merged_into_id is not None:  # one person, one row (cases.merging)
            customer = Customer.objects.get(pk=customer.merged_into_id)
        stored = {key: batch.save(upload) for key, upload in files.items()}
        case = Case(
            customer=customer,
            category=category,
            subject=subject,
            real_need=(real_need or "").strip(),
            details={**details, **{key: s.as_detail() for key, s in stored.items()}},
            channel=channel,
        )
        opened = _opened(case, owner, moment, acting, triggers=triggers, follow_up_of=follow_up_of)
        if follow_up_of is not None:
            _follow_up_noted(follow_up_of, case, moment)
        link(list(stored.values()), case)
        acknowledge(
            case,
            in_reply_to=in_reply_to,
            references=references,
            suppressed=acknowledgement_suppressed,
        )
        if customer_message:  # the customer's own form (/contact): its files are theirs too
            theirs = [{"id": s.attachment_id, "name": s.name} for s in stored.values()]
            where = {"subject": subject, "from": customer.email, "via": channel}
            _customer_words(
                case, moment, body=customer_message, data=where | {"attachments": theirs}
            )
        if owner.user != acting:
            notify(owner.user, case=case, event=opened, text=f"{case.ref} is yours: {subject}")
    return case


# Changing an open case -----------------------------------------------------------------------


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
        previous_owner, previous_tier = _owner(case), case.tier
        _new_owner(case, taker, moment)
        _end_waiting(case, moment, acting)
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


def _pass_receiver(
    case: Case, *, acting: User, to_user: User | None, to_tier: Tier | None
) -> Staff:
    """The named person, or the least-loaded one of the tier; rule 2 before passing up."""
    if to_user is not None:
        if to_user.pk == acting.pk:
            raise DomainError(f"{case.ref} is already yours; pass it to someone else.")
        receiver = staff_of_receiver(to_user)
    elif to_tier is not None:
        receiver = routing.least_loaded(to_tier, case.category, exclude_user_id=acting.pk)
    else:
        raise Incomplete(
            "Pass to a named person or to a tier (one of them).",
            fields={"to": "Choose a person or a tier."},
        )
    if receiver.tier.rank > case.tier.rank:
        missing = missing_required(case.category, case.details)
        if missing:
            labels = ", ".join(field.label for field in missing)
            raise Incomplete(
                f"Complete the required details before passing {case.ref} up: {labels}.",
                fields={field.key: "Required before passing up." for field in missing},
            )
    return receiver


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
        receiver = _pass_receiver(case, acting=acting, to_user=to_user, to_tier=to_tier)
        moment = now()
        previous_tier = case.tier
        _new_owner(case, receiver, moment)
        _end_waiting(case, moment, acting)
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


def add_note(case: Case, *, acting: User, body: str) -> Event:
    """Any staff member may add a note; a note by the owner counts as the owner's activity."""
    staff_of(acting)
    body = _text(body, "the note", field="body")
    with transaction.atomic():
        case = _locked(case)
        moment = now()
        if case.is_open and case.owner_id == acting.pk:
            _owner_acted(case, moment)
            _end_waiting(case, moment, acting)
        else:
            case.last_activity_at = moment
        case.save(update_fields=ACTIVITY_FIELDS)
        return _event(case, EventKind.NOTE, moment, acting, body=body)


def _checked_reply_files(files: Sequence[UploadedFile] | None) -> list[UploadedFile]:
    """The files for a reply, each one the upload rules keep (the intake limits)."""
    uploads = list(files or [])
    if len(uploads) > MAX_REPLY_FILES:
        raise Incomplete(
            f"Send at most {MAX_REPLY_FILES} files with one reply.",
            fields={"files": "Too many files."},
        )
    problems = [
        f"{safe_label(upload.name or '')}: {problem}"
        for upload in uploads
        if (problem := problem_with(upload))
    ]
    if problems:
        raise Incomplete(
            f"Some files cannot be sent: {'; '.join(problems)}", fields={"files": problems[0]}
        )
    return uploads


def reply(
    case: Case,
    *,
    acting: User,
    body: str,
    send_anyway: bool = False,
    files: Sequence[UploadedFile] | None = None,
    waiting: bool = False,
    tone_warnings: Sequence[Mapping[str, Any]] = (),
) -> Event:
    """Domain rule 10: staff write to the customer; the reply is an event and a mail.

    Any staff member may reply; the owner's reply is the owner's activity (the idle clock
    restarts). `files` are kept on the case and sent with the mail.

    `tone_warnings` are the tone check's findings on `body` as typed (relaydesk.replies.tone,
    run by the caller: replies sits beside cases and imports it, so cases does not import it
    back). With warnings the reply is refused (ToneWarned) unless `send_anyway`; the event
    records `send_anyway` and, when there were warnings, their rules and words.

    `waiting` (rule 16, the owner of an open case only): the reply asks the customer
    something and the case waits for the answer; the deadline and tickles pause until the
    customer answers (customer_wrote) or the owner acts again. The event records it.
    """
    staff_of(acting)
    warned = _tone_warned(body, tone_warnings)
    if warned and not send_anyway:
        raise ToneWarned(_tone_refusal(warned), warnings=[dict(w) for w in tone_warnings])
    body = _text(body, "the reply", field="body")
    uploads = _checked_reply_files(files)
    with UploadBatch() as batch, transaction.atomic():
        case = _locked(case)
        if case.status == Status.CLOSED:
            raise DomainError(f"{case.ref} is closed; reopen it first to write to the customer.")
        if case.status == Status.MERGED:
            raise DomainError(f"{case.ref} was merged into {case.merged_into}; write there.")
        if not case.customer.email:
            raise DomainError(f"{case.customer.name} has no email address; call them instead.")
        moment = now()
        _replied_clock(case, acting=acting, moment=moment, waiting=waiting)
        case.save(update_fields=ACTIVITY_FIELDS)
        stored = [batch.save(upload, case=case) for upload in uploads]
        attachments = list(
            Attachment.objects.filter(pk__in=[s.attachment_id for s in stored]).order_by("id")
        )
        mail = customer_mail.addressed(case)
        event = _event(
            case,
            EventKind.REPLIED,
            moment,
            acting,
            body=body,
            data={
                **mail.as_data(),
                "send_anyway": bool(send_anyway),
                "waiting": bool(waiting),
                "attachments": [{"id": a.pk, "name": a.original_name} for a in attachments],
                **({"tone_warnings": warned} if warned else {}),
            },
        )
        text = customer_mail.reply_text(case, body, writer=acting)
        customer_mail.send(case, event, mail, text=text, attachments=attachments)
    return event


def _tone_warned(body: str, warnings: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The rule and the words of each tone warning (offsets are in `body` as typed)."""
    return [
        {"rule": str(w["rule"]), "words": body[int(w["start"]) : int(w["end"])]} for w in warnings
    ]


def _tone_refusal(warned: list[dict[str, str]]) -> str:
    words = ", ".join(f"\u201c{w['words']}\u201d" for w in warned[:5])
    more = f" and {len(warned) - 5} more" if len(warned) > 5 else ""
    return (
        f"The tone check warns about {words}{more}: words that may blame, argue with, lecture "
        "or dismiss the customer. Change them, or send anyway."
    )


def _replied_clock(case: Case, *, acting: User, moment: datetime, waiting: bool) -> None:
    """The owner's reply is the owner's act: it ends a wait (rule 16) and restarts the idle
    clock; with `waiting` a new wait starts. Anyone else's reply only marks activity."""
    is_owner = case.is_open and case.owner_id == acting.pk
    if waiting and not is_owner:
        if not case.is_open:
            raise DomainError(
                f"{case.ref} is {case.get_status_display().lower()}; only an open case can "
                "wait for the customer."
            )
        raise DomainError(
            f"Only the owner can mark {case.ref} waiting for the customer; it is owned by "
            f"{name_of(case.owner)}."
        )
    if not is_owner:
        case.last_activity_at = moment
        return
    _owner_acted(case, moment)
    _end_waiting(case, moment, acting)
    if waiting:
        _start_waiting(case, moment)


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
        if new_problem_title:  # opened (its own clock reading) just before it is linked
            problem = problems.open_problem(acting=acting, title=new_problem_title[:200])
        moment = now()
        linked_before = case.problem_id
        case.status = Status.SOLVED
        case.solved_at = moment
        case.solved_by = acting
        case.resolution = resolution
        case.problem = problem
        case.one_off_reason = one_off_reason
        case.last_activity_at = moment
        _end_waiting(case, moment, acting)
        case.next_tickle_at = None
        case.save()
        # The solve mail: what was done, in the owner's words (none without an address).
        mail = customer_mail.addressed(case) if case.customer.email else None
        event = _event(
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
                "mail": mail.as_data() if mail else None,
            },
        )
        if problem is not None and problem.pk != linked_before:
            problems.link_case(problem, case=case, case_event=event, acting=acting)
        if mail is not None:
            text = customer_mail.solve_text(case, resolution)
            customer_mail.send(case, event, mail, text=text)
    return case


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
        if case.status == Status.MERGED:
            raise DomainError(f"{case.ref} was merged into {case.merged_into}; reopen that one.")
        # A dismissed case goes back to its last holder (cases.dismissal); others to the solver.
        back_to = case.owner if case.status == Status.DISMISSED else case.solved_by
        solver = getattr(back_to, "staff", None) if back_to is not None else None
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


def _detail_changes(case: Case, details: dict | None, real_need: str | None) -> dict[str, dict]:
    """Apply `details` and `real_need` to `case` (unsaved); each change as {"old", "new"}."""
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
    return changes


def update_details(
    case: Case,
    *,
    acting: User,
    details: dict | None = None,
    real_need: str | None = None,
    files: Mapping[str, UploadedFile] | None = None,
) -> Event | None:
    """Complete or correct intake facts later (e.g. after asking the customer).

    `files` are new uploads for the category's file fields (by field key), kept with the
    change or not at all. Each changed field is recorded with its old and new value; nothing
    changed, no event. A solved or closed case's facts are final until it is reopened (the
    case page offers no details form for it either).
    """
    staff_of(acting)
    files = _checked_files(case.category, files)
    with UploadBatch() as batch, transaction.atomic():
        case = _locked(case)
        if not case.is_open:
            raise DomainError(
                f"{case.ref} is {case.get_status_display().lower()}, so its details can no "
                "longer change; reopen it first."
            )
        if files:
            stored = {key: batch.save(upload, case=case) for key, upload in files.items()}
            details = {**(details or {}), **stored}
        changes = _detail_changes(case, details, real_need)
        if not changes:
            return None
        moment = now()
        if case.is_open and case.owner_id == acting.pk:
            _owner_acted(case, moment)
            _end_waiting(case, moment, acting)
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


# What arrives from outside -------------------------------------------------------------------


def customer_wrote(
    case: Case,
    *,
    body: str,
    message_id: str = "",
    subject: str = "",
    sender: str = "",
    via: str = "",
    attachments: Sequence[dict] = (),
    notes: Sequence[str] = (),
    automatic: bool = False,
    wake: bool = True,
    verified: bool = True,
    files: Sequence[UploadedFile] = (),
) -> Event:
    """The customer's words (an email, a portal message) land on the case.

    It counts as customer activity and wakes the owner now: the tickle is due at once and the
    owner is told. A solved case within the company's reopen_within is reopened by the
    customer first (rule 8); a closed one is not (mail to it opens a follow-up case:
    open_case's `follow_up_of`). An automatic message (an out-of-office) is recorded but
    wakes and reopens nothing. `files` (the status page's upload) are kept on the case within
    the intake limits. A case waiting for the customer (rule 16) resumes: the deadline gets
    back the time that was left, the tickles restart, and a `resumed` event says so.

    Mail without proof that it is the customer's (rule 11, relaydesk.intake.mail.proof) comes
    with `verified=False`: kept and marked unverified, the owner told, nothing else changes.
    """
    if not verified:
        where = {"message_id": message_id, "subject": subject, "from": sender, "via": via}
        return _unverified_words(case, body=body, data=where, attachments=attachments, notes=notes)
    refused = [problem for upload in files if (problem := problem_with(upload))]
    if refused:
        raise Incomplete(refused[0], fields={"files": refused[0]})
    with UploadBatch() as batch, transaction.atomic():
        case = _locked(case)
        if not automatic and reopens_when_the_customer_writes(case, now()):
            why = (body or subject or "The customer wrote again.")[:2000]
            reopen(case, acting=None, why=why, by_customer=True)
            case = _locked(case)
        moment = now()
        stored = [batch.save(upload, case=case) for upload in files]
        kept = [{"id": s.attachment_id, "name": s.name} for s in stored]
        event = _customer_words(
            case,
            moment,
            body=body,
            data={
                "message_id": message_id,
                "subject": subject,
                "from": sender,
                "via": via,
                "attachments": [*attachments, *kept],
                "notes": list(notes),
                "automatic": automatic,
            },
        )
        if automatic:
            return event
        case.last_activity_at = moment
        if case.waiting_since is not None:  # rule 16: the answer resumes the deadline
            _end_waiting(case, moment, None)
            case.next_tickle_at = moment  # and the tickles: the owner is woken now
            case.save(update_fields=["last_activity_at", *WAITING_FIELDS])
        if wake and case.is_open:
            case.next_tickle_at = moment
            case.save(update_fields=["last_activity_at", "next_tickle_at"])
            notify(_owner(case), case=case, event=event, text=f"The customer wrote on {case.ref}")
        else:
            case.save(update_fields=["last_activity_at"])
    return event


def reopens_when_the_customer_writes(case: Case, moment: datetime) -> bool:
    """Rule 8: the customer's word reopens a solved case until reopen_within has passed since
    its last solve (the closing step then closes it); never a closed one."""
    if case.status != Status.SOLVED:
        return False
    return case.solved_at is None or moment < case.solved_at + reopen_within()


def needs_a_follow_up(case: Case) -> bool:
    """Whether the customer's (verified) word on `case` opens a new case instead (rule 8): it
    is closed, or solved with its reopen window passed. Locks the row for the caller's
    transaction, so the answer holds until it commits."""
    case = _locked(case)
    return not case.is_open and not reopens_when_the_customer_writes(case, now())


def _unverified_words(
    case: Case,
    *,
    body: str,
    data: dict[str, Any],
    attachments: Sequence[dict],
    notes: Sequence[str],
) -> Event:
    """Rule 11: words that only claim to be the customer's. Kept and shown as unverified, the
    owner told; no status, deadline, tickle or activity changes."""
    with transaction.atomic():
        case = _locked(case)
        event = _customer_words(
            case,
            now(),
            body=body,
            data={
                **data,
                "attachments": list(attachments),
                "notes": list(notes),
                "verified": False,
            },
        )
        if case.owner is not None:
            text = f"An unverified message claiming to be from the customer arrived on {case.ref}"
            notify(case.owner, case=case, event=event, text=text)
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
                _owner(case),
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
                _owner(case),
                case=case,
                event=event,
                text=f"{name_of(acting)} attached a message from {sender or 'someone'}",
            )
    return event


# The status page ------------------------------------------------------------------------------


def rotate_status_link(case: Case, *, acting: User) -> str:
    """Rule 14: staff revoke every status link of `case` and issue a new one, returned once
    (to give the customer by phone). Old links then answer like any wrong one; the reply
    address does not depend on them, so mail keeps threading. The event keeps no token."""
    staff_of(acting)
    with transaction.atomic():
        case = _locked(case)
        if case.status == Status.CLOSED:
            raise DomainError(f"{case.ref} is closed; its status page is no longer shown.")
        if case.status == Status.MERGED:
            raise DomainError(f"{case.ref} was merged; its links now show the case it joined.")
        moment = now()
        revoked = status_links.revoke_all(case, moment)
        token = status_links.issue(case, moment)
        _event(case, EventKind.LINK_ROTATED, moment, acting, data={"revoked": revoked})
    return status_links.url_for(token)


# The survey (rule 12) and the customer's own reopen -------------------------------------------

MAX_SURVEY_WORDS = 2_000  # each of the survey's two answers
UNHAPPY_RATING = 2  # a rating of this or less reopens the case to its solver


def _survey_words(value: str, what: str) -> str:
    text = (value or "").replace("\x00", "").strip()
    if len(text) > MAX_SURVEY_WORDS:
        raise Incomplete(
            f"Keep {what} under {MAX_SURVEY_WORDS} characters.",
            fields={what: f"Keep it under {MAX_SURVEY_WORDS} characters."},
        )
    return text


def _survey_open(case: Case, opening: int | None) -> None:
    """Refuse an answer to a survey that is no longer asked: the case's solve is the question."""
    if case.status != Status.SOLVED or (opening is not None and opening != case.opening):
        raise DomainError(
            "This survey is closed: your case was reopened since. Tell us on your case's page "
            "what is still not right."
        )
    if SurveyAnswer.objects.filter(case=case, opening=case.opening).exists():
        raise DomainError("You already answered, thank you.")


def answer_survey(
    case: Case,
    *,
    rating: int,
    delighted: str = "",
    fix: str = "",
    opening: int | None = None,
) -> SurveyAnswer:
    """Rule 12: the customer answers the survey of the case's last solve, once per solve.

    The customer is the actor (the event's actor is None). `opening` is the solve the form
    asked about: a reopen since (by anyone) has withdrawn that survey, and it is refused. A
    rating of 2 or less reopens the case to its solver with the customer's words (rule 8,
    within the reopen window); 5 is a delighted customer, credited to the solver.
    """
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise Incomplete("Choose a rating from 1 to 5.", fields={"rating": "Choose 1 to 5."})
    delighted = _survey_words(delighted, "delighted")
    fix = _survey_words(fix, "fix")
    with transaction.atomic():
        case = _locked(case)
        _survey_open(case, opening)
        moment = now()
        answer = SurveyAnswer.objects.create(
            case=case,
            opening=case.opening,
            solved_by=case.solved_by,
            rating=rating,
            delighted=delighted,
            fix=fix,
            answered_at=moment,
        )
        words = [f"What delighted them: {delighted}" if delighted else ""]
        words.append(f"What we should fix: {fix}" if fix else "")
        _event(
            case,
            EventKind.SURVEY,
            moment,
            None,
            to_owner=case.solved_by,
            body="\n".join(line for line in words if line),
            data={
                "answer_id": answer.pk,
                "opening": case.opening,
                "rating": rating,
                "delighted": rating == 5,
            },
        )
        if rating <= UNHAPPY_RATING and reopens_when_the_customer_writes(case, moment):
            why = "\n".join(
                part for part in (f"Survey: rated {rating} of 5.", fix, delighted) if part
            )
            reopen(case, acting=None, why=why, by_customer=True)
    return answer


def customer_reopens(case: Case, *, why: str) -> Case:
    """Rule 8: the customer is not happy with a solve ("I'm not happy: reopen" on the status
    page) and reopens it, while its reopen window lasts, back to the person who solved it."""
    why = _text(why, "what is still not right", field="why", limit=MAX_SURVEY_WORDS)
    with transaction.atomic():
        case = _locked(case)
        if not reopens_when_the_customer_writes(case, now()):
            raise DomainError(
                f"{case.ref} can no longer be reopened here; write to us and we open a new case."
            )
        return reopen(case, acting=None, why=why, by_customer=True)


from relaydesk.cases.dismissal import dismiss  # noqa: E402, F401  (re-exported by name)
from relaydesk.cases.erasure import erase_customer  # noqa: E402, F401  (re-exported by name)
from relaydesk.cases.merging import kept_case, merge_cases, merge_customers  # noqa: E402, F401
from relaydesk.cases.problem_links import link_case_to_problem  # noqa: E402, F401  (re-exported by name)
