"""The buck list (DESIGN rule 9): people whose pass rate is more than 20 points above their
tier's median, with at least ten spells ending in the month, and their bare passes: the case,
the reason and the note they wrote."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count

from relaydesk.cases import spells as kept
from relaydesk.cases.models import EventKind, PassReason, Spell, ref_for
from relaydesk.insights.months import Month
from relaydesk.insights.spells import bare_pass_events

MARGIN = 0.20
# How a spell that counts towards SPELLS_AT_LEAST ended (cases.spells.end_how).
ENDED_BY = [EventKind.SOLVED, EventKind.TAKEN, EventKind.ESCALATED, *kept.PASSES]
SPELLS_AT_LEAST = 10


@dataclass
class BarePass:
    ref: str
    at: datetime
    reason: str
    note: str
    to: str
    direction: str


@dataclass
class Flagged:
    person: dict[str, Any]  # a person of the report (trail.as_report)
    spells: int
    above_median: float
    bare: list[BarePass] = field(default_factory=list)


def spells_ended(month: Month) -> Counter[int]:
    """Per person: their spells that ended in the month by their pass or solve, by the case
    being taken from them or escalated away from them (not by their leaving): the kept spells
    ended in the month, grouped by holder (one query over spell_end_idx), not the month's
    events of those kinds."""
    rows = (
        Spell.objects.filter(
            ended_at__gte=month.start_utc, ended_at__lt=month.end_utc, end_how__in=ENDED_BY
        )
        .values("holder")
        .annotate(spells=Count("id"))
        .order_by()
    )
    return Counter({row["holder"]: row["spells"] for row in rows})


def bare_passes_of(month: Month, user_ids: list[int]) -> dict[int, list[BarePass]]:
    """The bare passes of these people in the month (spells.bare_pass_events), each with its
    case, reason, note and receiver."""
    if not user_ids:
        return {}
    rows = (
        bare_pass_events(month)
        .filter(actor__in=user_ids)
        .select_related("to_owner")
        .order_by("at", "id")
    )
    found: dict[int, list[BarePass]] = {}
    for event in rows:
        if event.actor_id is None:  # never: bare_pass_events keeps passes someone made
            continue
        receiver = event.to_owner
        found.setdefault(event.actor_id, []).append(
            BarePass(
                ref=ref_for(event.case_id),
                at=event.at,
                reason=_reason(event.reason),
                note=event.body,
                to=(receiver.get_full_name() or receiver.username) if receiver else "",
                direction=str(event.data.get("direction", "")),
            )
        )
    return found


def _reason(value: str) -> str:
    return PassReason(value).label if value in PassReason.values else value


def buck_list(month: Month, report: dict[str, Any]) -> list[Flagged]:
    """The people the buck list flags, most above their tier's median first."""
    ended = spells_ended(month)
    users = _user_ids(report)
    flagged = []
    for person in report["people"]:
        rate, median = person["pass_rate"], person["tier_median_pass_rate"]
        spells = ended.get(users.get(person["username"], 0), 0)
        if rate is None or median is None or spells < SPELLS_AT_LEAST:
            continue
        # Rounded: 0.45 - 0.25 is not quite 0.2 in floating point.
        if round(rate - median, 9) > MARGIN:
            flagged.append(Flagged(person=person, spells=spells, above_median=rate - median))
    bare = bare_passes_of(month, [users[f.person["username"]] for f in flagged])
    for one in flagged:
        one.bare = bare.get(users[one.person["username"]], [])
    flagged.sort(key=lambda f: (-f.above_median, f.person["name"]))
    return flagged


def _user_ids(report: dict[str, Any]) -> dict[str, int]:
    names = [p["username"] for p in report["people"]]
    return dict(User.objects.filter(username__in=names).values_list("username", "id"))
