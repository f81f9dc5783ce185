"""The clock's actions: escalation at the deadline (rule 6) and tickles (rule 7).

They change cases, so they follow cases/actions.py's rules: check the rule again under the
row lock, read the clock once, write the row, its event and its notifications in one
transaction. The worker's sweep (relaydesk.clock.sweep) calls them.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Case as Choose
from django.db.models import DateTimeField, Value, When

from relaydesk.cases.actions import _event, _locked, name_of
from relaydesk.cases.deadlines import next_tickle_after
from relaydesk.cases.models import Case, Event, EventKind, Notification, Status, ref_for
from relaydesk.cases.notify import LINE_LIMIT, notify, shorten
from relaydesk.clock import bulk, rota
from relaydesk.outbox.models import OutgoingMail
from relaydesk.outbox.queue import make_message_id
from relaydesk.timekeeping import now


def escalate(case: Case, *, acting: User | None = None, on_duty=None) -> Event | None:
    """Domain rule 6: past its deadline and not solved, the case goes to the executive on duty.

    Once per opening: returns the `escalated` event, or None when the rule does not hold (not
    open, already escalated in this opening, or the deadline is still ahead).
    """
    event_ids = escalate_many([case.pk], acting=acting, on_duty=on_duty)
    return Event.objects.get(pk=event_ids[0]) if event_ids else None


def escalation_texts(ref: str, subject: str) -> tuple[str, str, str]:
    """The bell line, mail subject and mail body notify() writes for an escalation.

    The same formats as relaydesk.cases.notify.notification_rows(), without building two model
    instances per case; tests/clock/test_escalation.py holds the two to the same text.
    """
    text = f"{ref} passed its deadline and is yours now"
    return (
        shorten(text, LINE_LIMIT),
        shorten(f"[{ref}] {text}", LINE_LIMIT),
        f"{text}\n\n{subject}\n\n{settings.BASE_URL}/cases/{ref}\n",
    )


def escalate_many(case_ids, *, acting: User | None = None, on_duty=None) -> list[int]:
    """escalate() for a batch of cases in a fixed number of statements (the worker's sweep).

    Returns the ids of the `escalated` events, most overdue case first. The rule is checked
    again on the locked rows, so any number of workers may call this for the same cases and
    each due case is escalated exactly once. `on_duty` lets the sweep look the executive up
    once per batch (relaydesk.clock.rota).

    Thousands of rows a second (docs/performance.md, the clock): the cases are read as tuples,
    changed by one UPDATE (and a second, small one for cases the executive already owned),
    and their events, bell lines and mails written by one multi-row INSERT each
    (relaydesk.clock.bulk) rather than model instances and bulk_create.
    """
    with transaction.atomic():
        moment = now()
        # The deadline is checked here, not in SQL: given "deadline <= now" both engines
        # may prefer a deadline index to the primary key and then walk every open case past
        # its deadline, escalated or not, on each batch.
        cases = list(
            Case.objects.select_for_update(of=("self",))
            .filter(pk__in=list(case_ids), status=Status.OPEN, escalated=False)
            .order_by("deadline", "id")
            .values_list(
                "id",
                "owner_id",
                "tier_id",
                "deadline",
                "opening",
                "subject",
                "category_id",
                "category__tickle_after_minutes",
            )
        )
        cases = [case for case in cases if case[3] <= moment]  # (id, owner, tier, deadline, …)
        if not cases:
            return []
        if on_duty is None:
            on_duty = rota.executive_on_duty(moment)
        executive = on_duty.staff
        to_owner = executive.user_id if executive is not None else None
        moved: list[int] = []  # cases changing hands
        tickle_minutes: dict[int, set[int]] = {}  # tickle interval -> categories of moved cases
        stayed: list[int] = []  # already the executive's (or nobody to pass to)
        actor_id = acting.pk if acting is not None else None
        rows = []  # the events, in bulk.Insert's column order below
        for case_id, owner_id, tier_id, deadline, opening, _, category_id, minutes in cases:
            if to_owner is not None and to_owner != owner_id:
                moved.append(case_id)
                tickle_minutes.setdefault(minutes, set()).add(category_id)
                to = (to_owner, executive.tier_id)
            else:
                stayed.append(case_id)
                to = (owner_id, tier_id)
            data = {
                "deadline": deadline.isoformat(),
                "opening": opening,
                "rota": on_duty.source,
                "rota_day": on_duty.day.isoformat(),
            }
            rows.append(
                (
                    case_id,
                    EventKind.ESCALATED,
                    actor_id,
                    owner_id,
                    tier_id,
                    *to,
                    "deadline",
                    "",
                    data,
                )
            )
        if on_duty.warning:
            rows.extend(
                (case_id, EventKind.WARNING, None, None, None, None, None, "", on_duty.warning, {})
                for case_id, *_ in cases
            )
        if moved:
            # The fields _new_owner() sets for one case, in one UPDATE: the next tickle is
            # one tickle interval (the case's category's) from now.
            tickles = {minutes: moment + timedelta(minutes=minutes) for minutes in tickle_minutes}
            next_tickle_at = (
                Value(next(iter(tickles.values())))
                if len(tickles) == 1
                else Choose(
                    *(
                        When(category_id__in=sorted(tickle_minutes[minutes]), then=Value(at))
                        for minutes, at in tickles.items()
                    ),
                    output_field=DateTimeField(),
                )
            )
            Case.objects.filter(pk__in=moved).update(
                owner_id=executive.user_id,
                tier_id=executive.tier_id,
                escalated=True,
                last_activity_at=moment,
                owner_active_at=moment,
                next_tickle_at=next_tickle_at,
                tickle_count=0,
            )
        if stayed:
            Case.objects.filter(pk__in=stayed).update(escalated=True)
        inserted = bulk.Insert(
            Event,
            varying=[
                "case_id",
                "kind",
                "actor_id",
                "from_owner_id",
                "from_tier_id",
                "to_owner_id",
                "to_tier_id",
                "reason",
                "body",
                "data",
            ],
            fixed={"at": moment},
            returning=["id", "case_id", "kind"],
        ).run(rows)
        event_of = {case_id: pk for pk, case_id, kind in inserted if kind == EventKind.ESCALATED}
        event_ids = [event_of[case_id] for case_id, *_ in cases]
        if executive is not None:
            texts = [
                escalation_texts(ref_for(case_id), subject)
                for case_id, _, _, _, _, subject, _, _ in cases
            ]
            bulk.Insert(
                Notification,
                varying=["case_id", "event_id", "text"],
                fixed={"user_id": executive.user_id, "created_at": moment},
            ).run(
                (case_id, event_of[case_id], line)
                for (case_id, *_), (line, _, _) in zip(cases, texts, strict=True)
            )
            if executive.user.email:
                bulk.Insert(
                    OutgoingMail,
                    varying=["message_id", "case_id", "event_id", "subject", "body"],
                    fixed={
                        "to": executive.user.email,
                        "automatic": True,
                        "created_at": moment,
                        "next_attempt_at": moment,
                    },
                ).run(
                    (make_message_id(), case_id, event_of[case_id], subject, body)
                    for (case_id, *_), (_, subject, body) in zip(cases, texts, strict=True)
                )
    return event_ids


def tickle(case: Case) -> Event | None:
    """Domain rule 7: a reminder to an owner who has not acted for the tickle interval.

    Repeated every interval; from the second reminder on the owner's lead is told too. Checked
    again under the row lock, so a tickle is sent once however many workers see it due.
    """
    with transaction.atomic():
        case = _locked(case)
        moment = now()
        if not case.is_open or case.next_tickle_at is None or case.next_tickle_at > moment:
            return None
        interval = next_tickle_after(case.category, case.next_tickle_at) - case.next_tickle_at
        case.tickle_count += 1
        following = case.next_tickle_at + interval
        # After a long outage of the worker, skip the missed reminders instead of firing a
        # burst of them: the next one comes a full interval from now.
        case.next_tickle_at = following if following > moment else moment + interval
        case.save(update_fields=["tickle_count", "next_tickle_at"])
        count = case.tickle_count
        event = _event(
            case,
            EventKind.TICKLED,
            moment,
            None,
            to_owner=case.owner,
            data={
                "count": count,
                "idle_since": case.owner_active_at.isoformat(),
                "next_tickle_at": case.next_tickle_at.isoformat(),
            },
        )
        idle_hours = (moment - case.owner_active_at).total_seconds() / 3600
        notify(
            case.owner,
            case=case,
            event=event,
            text=f"Reminder {count}: {case.ref} has waited {idle_hours:.0f} h for you",
        )
        owner_staff = getattr(case.owner, "staff", None)
        lead = owner_staff.lead if owner_staff is not None else None
        if count >= 2 and lead is not None and lead.active and lead.user_id != case.owner_id:
            notify(
                lead.user,
                case=case,
                event=event,
                text=(
                    f"{case.ref} has waited {idle_hours:.0f} h for {name_of(case.owner)} "
                    f"(reminder {count})"
                ),
            )
    return event
