"""A person leaves the company: each of their open cases is passed on by routing first, then
they are made inactive, so no case is ever ownerless or waits on someone gone.

Staff and `deactivate` live in org, below cases, so the leaving as a whole lives here; the
faces (the admin and the company file, through relaydesk.setup.letting_go) call `leave`.

Each case is handed on in its own transaction, as a `passed` event by the system (actor None,
as an escalation is): the trail then counts no pass for anyone, neither the leaver (it was not
their choice) nor the admin who let them go, and the new owner's spell starts there. Its reason
is `shift_change` (rule 3's list; the last shift), its note says who left, and its data adds
`left` (the leaver's username) and `by` (who let them go; None: the company file) to the
pass's `direction`. The new owner is told like any receiver of a pass.

The worker's "left behind" step (`handle_one_left_behind`) hands on, the same way, any open
case still held by someone gone: a login switched off in the admin's Users page, or a case
that reached someone in the moment they left.
"""

import logging

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet

from relaydesk.cases import routing
from relaydesk.cases.actions import _direction, _event, _locked, _new_owner
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Case, Event, EventKind, PassReason, Status
from relaydesk.cases.notify import notify
from relaydesk.org.actions import StaffChangeRefused, check_may_let_go, deactivate
from relaydesk.org.models import Staff
from relaydesk.timekeeping import now

log = logging.getLogger(__name__)
LEFT_BEHIND_BATCH = 20


def open_cases_of(staff: Staff) -> QuerySet[Case]:
    """Their open cases, most urgent first (case_owner_queue_idx)."""
    return Case.objects.filter(owner=staff.user_id, status=Status.OPEN).order_by("deadline", "pk")


def hand_on(case: Case, *, leaving: Staff, acting: User | None) -> Event | None:
    """One open case of a person who leaves goes to whom a pass to its tier would pick, else up
    the pyramid (routing.successor). None when it is no longer theirs (solved, passed or taken
    meanwhile). A case waiting for the customer (rule 16) goes on waiting with its new owner."""
    with transaction.atomic():
        case = _locked(case)
        if not case.is_open or case.owner_id != leaving.user_id:
            return None
        successor = routing.successor(case, leaving_user_id=leaving.user_id)
        if successor is None:
            raise DomainError(
                f"Nobody at {case.tier.name} or above is on duty with the skills for "
                f"{case.category.name}, so {case.ref} cannot pass on from "
                f"{leaving.display_name}. Put someone on duty, then let them go again."
            )
        moment = now()
        from_tier, give_up_reminder = case.tier, case.next_tickle_at
        _new_owner(case, successor, moment)
        if case.waiting_since is not None:
            case.next_tickle_at = give_up_reminder  # a wait keeps only its give-up reminder
        case.save()
        event = _event(
            case,
            EventKind.PASSED,
            moment,
            None,
            from_owner=leaving.user,
            to_owner=successor.user,
            from_tier=from_tier,
            to_tier=successor.tier,
            reason=PassReason.SHIFT_CHANGE,
            body=f"{leaving.display_name} has left; {case.ref} passes to "
            f"{successor.display_name} ({successor.tier.name}).",
            data={
                "direction": _direction(from_tier, successor.tier),
                "left": leaving.user.username,
                "by": acting.username if acting is not None else None,
            },
        )
        notify(
            successor.user,
            case=case,
            event=event,
            text=f"{leaving.display_name} has left: {case.ref} is yours now",
        )
    return event


def handle_one_left_behind(limit: int = LEFT_BEHIND_BATCH) -> bool:
    """Worker step: open cases still held by someone gone are handed on as if they had just
    left: a login switched off in the admin's Users page rather than let go, or a case that
    reached someone in the moment they left (a transaction that chose them before `leave`
    committed). True when it handed one on; a case nobody can take is logged and left for the
    next round, so the step never spins on it."""
    gone = Staff.objects.filter(Q(active=False) | Q(user__is_active=False)).values("user_id")
    cases = list(
        Case.objects.filter(status=Status.OPEN, owner__in=gone).order_by("deadline", "pk")[:limit]
    )
    handed = False
    for case in cases:
        leaving = Staff.objects.select_related("user").get(user=case.owner_id)
        try:
            handed = hand_on(case, leaving=leaving, acting=None) is not None or handed
        except DomainError as stuck:
            log.warning("%s", stuck.message)
    return handed


def leave(staff: Staff, *, acting: User | None) -> list[Event]:
    """`staff` leaves: their open cases are handed on one by one, then they are deactivated
    (off duty, inactive, no sign-in). Returns the hand-on events.

    When a case cannot be handed on (nobody on duty at its tier or above), DomainError says
    which; the cases handed on so far stay with their new owners and the person stays active
    with the rest, so nothing waits on someone gone. Cases that reach them while the others
    are handed on (a pass by name, a reopen to the solver) are handed on in the transaction
    that deactivates them. Calling it for someone already inactive hands on what they still
    hold (someone whose login was switched off some other way).
    """
    try:
        check_may_let_go(staff, acting=acting)
    except StaffChangeRefused as refused:
        raise DomainError(str(refused)) from None
    handed = [hand_on(case, leaving=staff, acting=acting) for case in open_cases_of(staff)]
    with transaction.atomic():
        deactivate(staff, acting=acting)
        handed += [hand_on(case, leaving=staff, acting=acting) for case in open_cases_of(staff)]
    return [event for event in handed if event is not None]
