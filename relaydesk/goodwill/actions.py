"""The only code that changes the goodwill ledger (rule 13): give, approve, decline.

Each follows cases/actions.py's rules: check the rule under the row lock, read the clock once,
write the gesture, append the case's `goodwill` event and tell whoever must know, in one
transaction. The event's data says which step it was (`step`: "given" at once, "asked" for
approval, "approved", "declined") with the gesture's id, kind, value and currency.

Giving is the owner's act on the case (a pass after it is not bare, rule 9; the idle clock
restarts); approving or declining is not an act on the case by its owner.
"""

from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction

from relaydesk.cases.actions import (
    ACTIVITY_FIELDS,
    _end_waiting,
    _event,
    _locked,
    _owner_acted,
    _text,
    name_of,
    staff_of,
)
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import Case, EventKind, Status
from relaydesk.cases.notify import notify
from relaydesk.goodwill.approvers import approvers_for
from relaydesk.goodwill.budget import Month, budget_for, covers, limit_of, top_rank
from relaydesk.goodwill.models import Gesture, Kind, State
from relaydesk.org.models import Company, Staff, Tier
from relaydesk.timekeeping import now

MAX_VALUE = Decimal("9999999999.99")  # the column's 12 digits
MAX_NOTE = 2_000


def checked_value(value: object) -> Decimal:
    """A positive amount with at most two decimals (12.50, "12.5", 25); Incomplete otherwise."""
    refusal = Incomplete(
        "Give the value as a positive amount with at most two decimals, like 25 or 12.50.",
        fields={"value": "A positive amount, at most two decimals."},
    )
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise refusal
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise refusal from None
    exponent = amount.as_tuple().exponent
    if not amount.is_finite() or not isinstance(exponent, int) or exponent < -2:
        raise refusal
    if amount <= 0 or amount > MAX_VALUE:
        raise refusal
    return amount.quantize(Decimal("0.01"))


def _money(value: Decimal, currency: str) -> str:
    return f"{value:.2f} {currency}"


def _checked_gift(kind: str, value: object, note: str) -> tuple[str, Decimal, str]:
    if kind not in Kind.values:
        raise Incomplete(
            f"Choose the kind of gesture: {', '.join(Kind.values)}.",
            fields={"kind": "Choose a kind."},
        )
    amount = checked_value(value)
    return kind, amount, _text(note, "a note on the gesture", field="note", limit=MAX_NOTE)


def _lock_company() -> Company:
    """The company row, locked: two gestures at once cannot both spend the budget's last euro
    (PostgreSQL row lock; on SQLite the IMMEDIATE transaction already serializes writers)."""
    company = Company.objects.select_for_update().order_by("id").first()
    if company is None:
        raise DomainError("There is no company yet, so no goodwill can be given.")
    return company


def give_goodwill(case: Case, *, acting: User, kind: str, value: object, note: str) -> Gesture:
    """Rule 13: the owner records a gesture to the customer.

    Within the owner's tier limit and the month's budget it is given at once; above the limit
    it waits for someone at a tier whose limit covers it, and over the budget for an
    executive; they are told. Either way it is the owner's act on the case.
    """
    giver = staff_of(acting)
    kind, amount, note = _checked_gift(kind, value, note)
    with transaction.atomic():
        case = _locked(case)
        if case.status == Status.CLOSED:
            raise DomainError(f"{case.ref} is closed; reopen it first to give goodwill.")
        if case.status in (Status.DISMISSED, Status.MERGED):
            raise DomainError(
                f"{case.ref} was {case.get_status_display().lower()}; goodwill goes on a "
                "customer's real case."
            )
        if case.owner_id != acting.pk:
            raise DomainError(
                f"Only the owner can give goodwill on {case.ref}; it is owned by "
                f"{name_of(case.owner)}."
            )
        company = _lock_company()
        moment = now()
        top = top_rank()
        tier = Tier.objects.get(pk=giver.tier_id)  # its limit as it is now
        month = Month.of(moment, company.time_zone)
        over_budget = budget_for(month, zone=company.time_zone).goes_over(amount)
        at_once = covers(tier, amount, top) and (not over_budget or tier.rank == top)
        gesture = Gesture.objects.create(
            case=case,
            kind=kind,
            value=amount,
            currency=company.currency,
            note=note,
            given_by=acting,
            given_by_tier=tier,
            given_at=moment,
            state=State.GIVEN if at_once else State.PENDING,
            over_budget=over_budget,
            decided_by=acting if at_once else None,
            decided_at=moment if at_once else None,
        )
        if case.is_open:
            _owner_acted(case, moment)
            _end_waiting(case, moment, acting)
        else:
            case.last_activity_at = moment
        case.save(update_fields=ACTIVITY_FIELDS)
        event = _event(
            case,
            EventKind.GOODWILL,
            moment,
            acting,
            body=note,
            data=_data(gesture, "given" if at_once else "asked"),
        )
        if not at_once:
            text = (
                f"{name_of(acting)} asks you to approve goodwill on {case.ref}: "
                f"{gesture.get_kind_display().lower()}, {_money(amount, gesture.currency)}"
            )
            for user in approvers_for(giver, amount, over_budget=over_budget, top=top):
                notify(user, case=case, event=event, text=text)
    return gesture


def _data(gesture: Gesture, step: str) -> dict:
    return {
        "gesture_id": gesture.pk,
        "step": step,
        "kind": gesture.kind,
        "value": f"{gesture.value:.2f}",
        "currency": gesture.currency,
        "over_budget": gesture.over_budget,
    }


def _decider(gesture_id: int, acting: User) -> tuple[Gesture, Staff]:
    """The pending gesture, locked, and the approver's staff row once their right is checked."""
    decider = staff_of(acting)
    gesture = (
        Gesture.objects.select_for_update(of=("self",))
        .select_related("case")
        .filter(pk=gesture_id)
        .first()
    )
    if gesture is None:
        raise DomainError(f"There is no goodwill gesture {gesture_id}.")
    ref = gesture.case.ref
    if not gesture.is_pending:
        raise DomainError(
            f"The gesture on {ref} was already {gesture.get_state_display().lower()}."
        )
    if gesture.given_by_id == acting.pk:
        raise DomainError(f"Someone else decides on your own gesture on {ref}.")
    top = top_rank()
    tier = Tier.objects.get(pk=decider.tier_id)  # its limit as it is now
    if gesture.over_budget and tier.rank != top:
        raise DomainError(
            f"The gesture on {ref} goes over this month's goodwill budget: only an executive "
            "can decide on it."
        )
    if not covers(tier, gesture.value, top):
        limit = limit_of(tier, top) or Decimal(0)
        raise DomainError(
            f"{name_of(acting)} at {tier.name} may approve goodwill up to "
            f"{_money(limit, gesture.currency)}; the gesture on {ref} is "
            f"{_money(gesture.value, gesture.currency)}."
        )
    return gesture, decider


def approve_goodwill(gesture: Gesture | int, *, acting: User) -> Gesture:
    """Rule 13: someone at a tier whose limit covers the value approves a waiting gesture (an
    executive when it goes over the budget). It counts in the month approved, and only now
    does the customer see it."""
    gesture_id = gesture if isinstance(gesture, int) else gesture.pk
    with transaction.atomic():
        gesture, _ = _decider(gesture_id, acting)
        moment = now()
        gesture.state = State.GIVEN
        gesture.decided_by = acting
        gesture.decided_at = moment
        gesture.save(update_fields=["state", "decided_by", "decided_at"])
        case = gesture.case
        event = _event(case, EventKind.GOODWILL, moment, acting, data=_data(gesture, "approved"))
        text = f"{name_of(acting)} approved your goodwill on {case.ref}"
        notify(gesture.given_by, case=case, event=event, text=text)
    return gesture


def decline_goodwill(gesture: Gesture | int, *, acting: User, why: str) -> Gesture:
    """Rule 13: the approver says no, with a reason the giver reads; the customer never sees
    a declined gesture."""
    why = _text(why, "why it is declined", field="why", limit=MAX_NOTE)
    gesture_id = gesture if isinstance(gesture, int) else gesture.pk
    with transaction.atomic():
        gesture, _ = _decider(gesture_id, acting)
        moment = now()
        gesture.state = State.DECLINED
        gesture.decided_by = acting
        gesture.decided_at = moment
        gesture.why_declined = why
        gesture.save(update_fields=["state", "decided_by", "decided_at", "why_declined"])
        case = gesture.case
        event = _event(
            case, EventKind.GOODWILL, moment, acting, body=why, data=_data(gesture, "declined")
        )
        text = f"{name_of(acting)} declined your goodwill on {case.ref}: {why}"
        notify(gesture.given_by, case=case, event=event, text=text)
    return gesture
