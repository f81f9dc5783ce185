"""The clock's actions: escalation at the deadline (rule 6) and tickles (rule 7).

They change cases, so they follow cases/actions.py's rules: check the rule again under the
row lock, read the clock once, write the row, its event and its notifications in one
transaction. The worker's sweep (relaydesk.clock.sweep) calls them.
"""

from django.contrib.auth.models import User
from django.db import transaction

from relaydesk.cases.actions import _event, _locked, name_of
from relaydesk.cases.models import Case, Event, EventKind, Notification, Status
from relaydesk.cases.notify import notification_rows, notify
from relaydesk.clock import now, rota
from relaydesk.clock.deadlines import next_tickle_after
from relaydesk.outbox.models import OutgoingMail


def escalate(case: Case, *, acting: User | None = None, on_duty=None) -> Event | None:
    """Domain rule 6: past its deadline and not solved, the case goes to the executive on duty.

    Once per opening: returns the `escalated` event, or None when the rule does not hold (not
    open, already escalated in this opening, or the deadline is still ahead).
    """
    events = escalate_many([case.pk], acting=acting, on_duty=on_duty)
    return events[0] if events else None


def escalate_many(case_ids, *, acting: User | None = None, on_duty=None) -> list[Event]:
    """escalate() for a batch of cases in a fixed number of statements (the worker's sweep).

    The rule is checked again on the locked rows, so any number of workers may call this for
    the same cases and each due case is escalated exactly once. `on_duty` lets the sweep look
    the executive up once per batch (relaydesk.clock.rota). The bell lines and mails come
    from relaydesk.cases.notify.notification_rows(), as notify() writes them, saved in bulk.
    """
    with transaction.atomic():
        moment = now()
        cases = list(
            Case.objects.select_for_update(of=("self",))
            .select_related("category")
            .only(
                "owner", "tier", "deadline", "opening", "subject", "category__tickle_after_minutes"
            )
            .filter(pk__in=list(case_ids), status=Status.OPEN, escalated=False)
            .filter(deadline__lte=moment)
            .order_by("deadline", "id")
        )
        if not cases:
            return []
        if on_duty is None:
            on_duty = rota.executive_on_duty(moment)
        executive = on_duty.staff
        events, warnings = [], []
        moved: dict = {}  # next tickle time -> ids of cases that change hands
        stayed: list[int] = []  # already the executive's (or nobody to pass to)
        for case in cases:
            from_owner_id, from_tier_id = case.owner_id, case.tier_id
            if executive is not None and executive.user_id != case.owner_id:
                case.owner_id, case.tier_id = executive.user_id, executive.tier_id
                case.next_tickle_at = next_tickle_after(case.category, moment)
                moved.setdefault(case.next_tickle_at, []).append(case.pk)
            else:
                stayed.append(case.pk)
            case.escalated = True
            events.append(
                Event(
                    case=case,
                    kind=EventKind.ESCALATED,
                    at=moment,
                    actor=acting,
                    from_owner_id=from_owner_id,
                    to_owner_id=case.owner_id,
                    from_tier_id=from_tier_id,
                    to_tier_id=case.tier_id,
                    reason="deadline",
                    data={
                        "deadline": case.deadline.isoformat(),
                        "opening": case.opening,
                        "rota": on_duty.source,
                        "rota_day": on_duty.day.isoformat(),
                    },
                )
            )
            if on_duty.warning:
                warnings.append(
                    Event(case=case, kind=EventKind.WARNING, at=moment, body=on_duty.warning)
                )
        # A few UPDATEs per batch (one per tickle interval), not Django's slow bulk_update;
        # the same fields _new_owner() sets for one case.
        for next_tickle_at, ids in moved.items():
            Case.objects.filter(pk__in=ids).update(
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
        Event.objects.bulk_create(events + warnings)
        if executive is not None:
            rows = [
                notification_rows(
                    executive.user,
                    case=case,
                    event=event,
                    text=f"{case.ref} passed its deadline and is yours now",
                )
                for case, event in zip(cases, events, strict=True)
            ]
            Notification.objects.bulk_create(line for line, _ in rows)
            OutgoingMail.objects.bulk_create(mail for _, mail in rows if mail is not None)
    return events


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
