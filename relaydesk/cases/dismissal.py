"""Dismissing a case that is no customer problem: spam, mail meant for someone else, a test.

A dismissed case leaves the open lists and needs no second fix; it ends the holder's spell
without a solve, so the trail never counts it as solved (it stays among the cases they
touched, and an opened case stays opened). Staff undo it with `reopen`, which hands it back
to the person who held it when it was dismissed. The customer is not mailed: most dismissed
cases are spam, and an answer tells a spammer the address is read.
"""

from django.contrib.auth.models import User
from django.db import transaction

from relaydesk.cases.actions import (
    ACTIVITY_FIELDS,
    MAX_NOTE,
    _end_waiting,
    _event,
    _locked,
    _owner,
    name_of,
    staff_of,
)
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import Case, DismissReason, EventKind, Status
from relaydesk.cases.notify import notify
from relaydesk.org.permissions import is_lead
from relaydesk.timekeeping import now

# The reasons that say it all by themselves; any other needs a note saying why.
SELF_EXPLAINED = frozenset({DismissReason.SPAM, DismissReason.TEST})


class NotAllowed(DomainError):
    """The person may not do this to the case (403): not their case and not a lead."""

    http_status = 403


def may_end(user: User, case: Case) -> bool:
    """Dismissing or merging a case: its owner, or a lead, an executive or an admin."""
    return case.owner_id == user.pk or is_lead(user)


def _checked_reason(reason: str, note: str) -> tuple[str, str]:
    if reason not in DismissReason.values:
        raise Incomplete(
            f"Choose why the case is dismissed: {', '.join(DismissReason.values)}.",
            fields={"reason": "Choose a reason."},
        )
    note = (note or "").replace("\x00", "").strip()
    if len(note) > MAX_NOTE:
        raise Incomplete(
            f"Keep the note under {MAX_NOTE} characters.", fields={"note": "Too long."}
        )
    if not note and reason not in SELF_EXPLAINED:
        label = DismissReason(reason).label.lower()
        raise Incomplete(
            f"Say in a note why it is dismissed as {label!r}.", fields={"note": "Required."}
        )
    return reason, note


def dismiss(case: Case, *, acting: User, reason: str, note: str = "") -> Case:
    """The case is no customer problem: it ends now, not solved, the customer not mailed.

    By its owner, or a lead, executive or admin; only an open case. A wait for the customer
    ends (rule 16: its `resumed` event closes the trail's waiting time); the owner stays on the
    case as its last holder, who gets it back if staff reopen it.
    """
    staff_of(acting)
    reason, note = _checked_reason(reason, note)
    with transaction.atomic():
        case = _locked(case)
        if not case.is_open:
            raise DomainError(
                f"{case.ref} is {case.get_status_display().lower()}; only an open case can be "
                "dismissed."
            )
        if not may_end(acting, case):
            raise NotAllowed(
                f"Only the owner ({name_of(case.owner)}) or a lead can dismiss {case.ref}."
            )
        owner, moment = _owner(case), now()
        _end_waiting(case, moment, acting)
        case.status = Status.DISMISSED
        case.last_activity_at = moment
        case.next_tickle_at = None
        case.save(update_fields=["status", *ACTIVITY_FIELDS])
        event = _event(
            case,
            EventKind.DISMISSED,
            moment,
            acting,
            from_owner=owner,
            from_tier=case.tier,
            reason=reason,
            body=note,
            data={"reason": reason, "opening": case.opening},
        )
        if owner != acting:
            text = f"{name_of(acting)} dismissed {case.ref} ({DismissReason(reason).label.lower()})"
            notify(owner, case=case, event=event, text=text)
    return case
