"""Who is the executive on duty: the one an escalated case goes to.

A date-range entry in the executive rota wins; on days no range covers, the ordered weekly
rotation decides; with nobody on duty at all, the first active executive takes the case and
the escalation records a warning saying so. Days are counted in the company's time zone.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from relaydesk.org.company import company_time_zone
from relaydesk.org.models import ExecutiveRota, Staff, Tier, WeeklyRotation


@dataclass(frozen=True)
class OnDuty:
    staff: Staff | None
    source: str  # "rota", "weekly rotation", "fallback" or "nobody"
    day: date
    warning: str = ""


def company_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(company_time_zone())).date()


def _active(queryset):
    return queryset.filter(active=True, user__is_active=True).select_related("user", "tier")


def _from_rota(day: date) -> Staff | None:
    entry = (
        ExecutiveRota.objects.filter(
            starts_on__lte=day, ends_on__gte=day, staff__active=True, staff__user__is_active=True
        )
        .select_related("staff__user", "staff__tier")
        .order_by("-starts_on", "id")  # a shorter, later entry (a swap) wins over a long one
        .first()
    )
    return entry.staff if entry else None


def _from_weekly_rotation(day: date) -> Staff | None:
    rotation = WeeklyRotation.objects.filter(starts_on__lte=day).order_by("-starts_on").first()
    if rotation is None:
        return None
    slots = list(rotation.slots.select_related("staff__user", "staff__tier").order_by("position"))
    if not slots:
        return None
    week = (day - rotation.starts_on).days // 7
    for step in range(len(slots)):
        staff = slots[(week + step) % len(slots)].staff
        if staff.active and staff.user.is_active:
            return staff
    return None


def executive_on_duty(moment: datetime) -> OnDuty:
    day = company_day(moment)
    staff = _from_rota(day)
    if staff is not None:
        return OnDuty(staff, "rota", day)
    staff = _from_weekly_rotation(day)
    if staff is not None:
        return OnDuty(staff, "weekly rotation", day)
    top = Tier.objects.order_by("-rank").first()
    first = _active(Staff.objects.filter(tier=top)).order_by("id").first() if top else None
    if first is not None:
        return OnDuty(
            first,
            "fallback",
            day,
            warning=(
                f"Nobody is on the executive rota for {day:%Y-%m-%d}; the case went to the "
                f"first active executive, {first.display_name}. Fill in the rota in the admin."
            ),
        )
    return OnDuty(
        None,
        "nobody",
        day,
        warning=(
            f"Nobody is on the executive rota for {day:%Y-%m-%d} and there is no active "
            "executive, so the case stays with its owner. Add an executive in the admin."
        ),
    )
