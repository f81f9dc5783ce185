"""The only code that changes who a person is in the company: joining, a tier change, leaving.

Each is one transaction and keeps the career path whole: a person's tier history
(`TierHistory`, read by the trail and the career page) gets a line from their first tier on,
dated, in the same transaction as the tier it records. A tier changes only here, never by
saving `Staff.tier` directly.

Leaving passes the person's open cases on first, and cases are above org: the whole of it is
`relaydesk.cases.leaving.leave`, which ends by calling `deactivate` here.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from relaydesk.org.models import Staff, Tier, TierHistory
from relaydesk.timekeeping import now


class StaffChangeRefused(Exception):
    """A change to a person the rules do not allow; the message is a plain sentence."""


def may_change_staff(acting: User | None) -> bool:
    """Admins (superusers, or whoever the admin lets change staff) and the system (None: the
    company file, run by whoever runs the installation). Leads are not: a promotion or a
    leaving is the company's decision, made where the company is set up."""
    return acting is None or acting.is_superuser or acting.has_perm("org.change_staff")


def check_may_change(staff: Staff, *, acting: User | None, what: str) -> None:
    if not may_change_staff(acting):
        name = acting.get_full_name() or acting.username if acting else "the system"
        raise StaffChangeRefused(f"Only an admin may {what} {staff.display_name}, not {name}.")


def join(staff: Staff, *, acting: User | None, at: datetime | None = None) -> Staff:
    """A new person (an unsaved Staff row) joins at their tier: the row and the first line of
    their tier history, dated `at` (default now)."""
    check_may_change(staff, acting=acting, what="add")
    with transaction.atomic():
        staff.save()
        TierHistory.objects.create(staff=staff, tier=staff.tier, since=at or now())
    return staff


def change_tier(
    staff: Staff, tier: Tier, *, acting: User | None, at: datetime | None = None
) -> TierHistory | None:
    """A promotion (or a move down): the person's tier and a dated line of their tier history,
    in one transaction. None when they already hold that tier (nothing is written)."""
    check_may_change(staff, acting=acting, what="change the tier of")
    with transaction.atomic():
        current = Staff.objects.select_for_update().values_list("tier_id", flat=True)
        if current.get(pk=staff.pk) == tier.pk:
            return None
        Staff.objects.filter(pk=staff.pk).update(tier=tier)
        staff.tier = tier
        return TierHistory.objects.create(staff=staff, tier=tier, since=at or now())


def check_may_let_go(staff: Staff, *, acting: User | None) -> None:
    check_may_change(staff, acting=acting, what="let go")
    if acting is not None and acting.pk == staff.user_id:
        raise StaffChangeRefused(
            f"{staff.display_name} cannot let themselves go; another admin has to."
        )


def deactivate(staff: Staff, *, acting: User | None) -> None:
    """The person leaves: off duty, inactive, and their login no longer signs in.

    Call it through `relaydesk.cases.leaving.leave`, which passes their open cases on first.
    Their events, spells and tier history stay: the trail still counts what they did.
    """
    check_may_let_go(staff, acting=acting)
    with transaction.atomic():
        Staff.objects.filter(pk=staff.pk).update(active=False, on_duty=False)
        User.objects.filter(pk=staff.user_id).update(is_active=False)
    staff.active = staff.on_duty = False
    staff.user.is_active = False


def reactivate(staff: Staff, *, acting: User | None) -> None:
    """Someone who left comes back: active and able to sign in again, off duty until someone
    puts them on (their API tokens were revoked when they left; they make new ones)."""
    check_may_change(staff, acting=acting, what="take back")
    with transaction.atomic():
        Staff.objects.filter(pk=staff.pk).update(active=True)
        User.objects.filter(pk=staff.user_id).update(is_active=True)
    staff.active = True
    staff.user.is_active = True
