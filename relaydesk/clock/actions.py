"""The clock's actions: escalation at the deadline (rule 6) and tickles (rule 7).

They change cases, so they follow cases/actions.py's rules: check the rule again under the
row lock, read the clock once, write the row, its event and its notifications in one
transaction. The worker's sweep (relaydesk.clock.sweep) calls them, one case at a time,
inside its batch's transaction.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from relaydesk.cases.actions import _event, _locked, _new_owner, name_of
from relaydesk.cases.deadlines import next_tickle_after
from relaydesk.cases.models import Case, Event, EventKind
from relaydesk.cases.notify import notify
from relaydesk.clock import rota
from relaydesk.org.company import duration_words, waiting_gives_up
from relaydesk.timekeeping import now


def escalate(
    case: Case, *, acting: User | None = None, on_duty: rota.OnDuty | None = None
) -> Event | None:
    """Domain rule 6: past its deadline and not solved, the case goes to the executive on duty.

    Once per opening: returns the `escalated` event, or None when the rule does not hold (not
    open, already escalated in this opening, the deadline is still ahead, or the case is
    waiting for the customer: rule 16). `on_duty` lets
    the sweep look the executive up once per batch (relaydesk.clock.rota).
    """
    with transaction.atomic():
        case = _locked(case)
        moment = now()
        if not case.is_open or case.escalated or case.deadline > moment:
            return None
        if case.waiting_since is not None:  # rule 16: the deadline is paused
            return None
        if on_duty is None:
            on_duty = rota.executive_on_duty(moment)
        executive = on_duty.staff
        from_owner, from_tier = case.owner, case.tier
        fields = ["escalated"]
        if executive is not None and executive.user_id != case.owner_id:
            _new_owner(case, executive, moment)
            fields += [
                "owner",
                "tier",
                "last_activity_at",
                "owner_active_at",
                "next_tickle_at",
                "tickle_count",
            ]
        case.escalated = True
        case.save(update_fields=fields)
        event = _event(
            case,
            EventKind.ESCALATED,
            moment,
            acting,
            from_owner=from_owner,
            from_tier=from_tier,
            to_owner=case.owner,
            to_tier=case.tier,
            reason="deadline",
            data={
                "deadline": case.deadline.isoformat(),
                "opening": case.opening,
                "rota": on_duty.source,
                "rota_day": on_duty.day.isoformat(),
            },
        )
        if on_duty.warning:
            _event(case, EventKind.WARNING, moment, None, body=on_duty.warning)
        if executive is not None:
            notify(
                executive.user,
                case=case,
                event=event,
                text=f"{case.ref} passed its deadline and is yours now",
            )
    return event


def tickle(case: Case) -> Event | None:
    """Domain rule 7: a reminder to an owner who has not acted for the tickle interval.

    Repeated every interval; from the second reminder on the owner's lead is told too. Checked
    again under the row lock, so a tickle is sent once however many workers see it due. A case
    waiting for the customer (rule 16) gets one reminder only, when `waiting_gives_up` has
    passed without an answer (_gave_up_waiting).
    """
    with transaction.atomic():
        case = _locked(case)
        moment = now()
        owner = case.owner  # an open case always has one (open_case_has_owner)
        if not case.is_open or owner is None:
            return None
        if case.next_tickle_at is None or case.next_tickle_at > moment:
            return None
        if case.waiting_since is not None:
            return _gave_up_waiting(case, owner, moment)
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
            to_owner=owner,
            data={
                "count": count,
                "idle_since": case.owner_active_at.isoformat(),
                "next_tickle_at": case.next_tickle_at.isoformat(),
            },
        )
        idle_hours = (moment - case.owner_active_at).total_seconds() / 3600
        notify(
            owner,
            case=case,
            event=event,
            text=f"Reminder {count}: {case.ref} has waited {idle_hours:.0f} h for you",
        )
        owner_staff = getattr(owner, "staff", None)
        lead = owner_staff.lead if owner_staff is not None else None
        if count >= 2 and lead is not None and lead.active and lead.user_id != owner.pk:
            notify(
                lead.user,
                case=case,
                event=event,
                text=(
                    f"{case.ref} has waited {idle_hours:.0f} h for {name_of(owner)} "
                    f"(reminder {count})"
                ),
            )
    return event


def _gave_up_waiting(case: Case, owner: User, moment: datetime) -> Event:
    """Rule 16: the customer has not answered within the company's `waiting_gives_up`; the
    owner is reminded once to decide (chase, solve, pass). The case keeps waiting, with no
    tickle due, until the customer answers or the owner acts (cases.actions._end_waiting)."""
    since = case.waiting_since or moment
    case.next_tickle_at = None
    case.save(update_fields=["next_tickle_at"])
    event = _event(
        case,
        EventKind.TICKLED,
        moment,
        None,
        to_owner=owner,
        reason="waiting_gave_up",
        data={
            "waiting_since": since.isoformat(),
            "waited_seconds": int((moment - since).total_seconds()),
        },
    )
    notify(
        owner,
        case=case,
        event=event,
        text=(
            f"{case.ref} has waited {duration_words(waiting_gives_up())} for the customer's "
            "answer: decide what to do next"
        ),
    )
    return event
