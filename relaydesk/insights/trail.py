"""The month-end trail (DESIGN rule 9): per person, per tier and overall, from the events.

`compute_trail(month)` runs a fixed handful of aggregate queries however many cases and
events the month holds (none per case or per person); `as_report` gives the API contract's
shape, which `relaydesk report --json` prints and the CSV flattens.
"""

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from relaydesk.insights import counts, goodwill, spells, surveys, waiting
from relaydesk.insights.months import Month
from relaydesk.org.models import Staff, Tier, TierHistory

# Told after each step (its name, steps done, steps in all), e.g. for a progress bar.
Progress = Callable[[str, int, int], None]
STEPS = 9


@dataclass
class PersonTrail:
    user_id: int
    username: str
    name: str
    tier: str
    active: bool = True
    touched: int = 0
    solved: int = 0
    up: int = 0
    same: int = 0
    down: int = 0
    taken: int = 0
    bare_passes: int = 0
    tier_median_pass_rate: float | None = None
    deadlines_missed: int = 0
    replies: int = 0
    sent_anyway: int = 0
    waiting_hours: float = 0.0
    goodwill_count: int = 0
    goodwill_value: Decimal = Decimal(0)
    delighted: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return self.up + self.same + self.down

    @property
    def pass_rate(self) -> float | None:
        """Passed ÷ (passed + solved); None with neither."""
        handled = self.passed + self.solved
        return self.passed / handled if handled else None

    @property
    def is_blank(self) -> bool:
        return not (
            self.touched
            or self.solved
            or self.passed
            or self.taken
            or self.deadlines_missed
            or self.replies
            or self.waiting_hours
            or self.goodwill_count
            or self.delighted
        )


@dataclass
class TierTrail:
    tier_id: int
    slug: str
    name: str
    rank: int
    solved: int = 0


@dataclass
class Overall:
    opened: int = 0
    solved: int = 0
    solved_before_deadline: int = 0
    median_hours_to_solve: float | None = None
    realtime: int = 0
    escalated: int = 0
    survey_answers: int = 0
    delighted: int = 0
    waiting_hours: float = 0.0
    goodwill_value: Decimal = Decimal(0)
    top_problems: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Trail:
    month: Month
    people: list[PersonTrail]
    tiers: list[TierTrail]
    overall: Overall


def _share(part: int, whole: int) -> float:
    """A share of the contract: a 0–1 float, 0.0 when there is nothing to divide."""
    return part / whole if whole else 0.0


def _tier_at_end(month: Month) -> dict[int, int]:
    """Per staff id: the tier they held at the month's end (their tier history), for people
    promoted since; people without history are at their tier now."""
    held: dict[int, int] = {}
    for staff_id, tier_id in (
        TierHistory.objects.filter(since__lt=month.end_utc)
        .order_by("since", "id")
        .values_list("staff_id", "tier_id")
    ):
        held[staff_id] = tier_id
    return held


def _people(month: Month, tiers: dict[int, Tier]) -> list[PersonTrail]:
    held = _tier_at_end(month)
    people = []
    for staff in Staff.objects.select_related("user").order_by("id"):
        tier = tiers[held.get(staff.pk, staff.tier_id)]
        people.append(
            PersonTrail(
                user_id=staff.user_id,
                username=staff.user.username,
                name=staff.display_name,
                tier=tier.slug,
                active=staff.active and staff.user.is_active,
            )
        )
    return people


def compute_trail(month: Month, *, progress: Progress | None = None) -> Trail:
    done = 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(name, done, STEPS)

    tiers = {tier.pk: tier for tier in Tier.objects.order_by("rank")}
    people = _people(month, tiers)
    by_user = {person.user_id: person for person in people}
    step("people")
    acts = counts.acts_by_person(month)
    step("solves, passes, takes and replies")
    touched = spells.touched(month)
    step("cases touched")
    bare = spells.bare_passes(month)
    step("bare passes")
    missed = counts.deadlines_missed(month, list(by_user))
    waited = waiting.waiting_seconds(month)
    step("deadlines and waiting")
    answered = surveys.surveys(month)
    given = goodwill.goodwill_given(month)
    step("surveys and goodwill")
    tier_trails = [TierTrail(t.pk, t.slug, t.name, t.rank) for t in tiers.values()]
    overall = _overall(month, acts, answered, step)
    for user_id, person in by_user.items():
        _fill(person, acts.get(user_id), touched, bare, missed, waited)
        person.delighted = answered.delighted_by.get(user_id, [])
        if user_id in given:
            person.goodwill_count = given[user_id].count
            person.goodwill_value = given[user_id].value
    for tier in tier_trails:
        tier.solved = sum(a.solved_at_tier.get(tier.tier_id, 0) for a in acts.values())
    overall.waiting_hours = sum(waited.values()) / 3600
    overall.goodwill_value = sum((g.value for g in given.values()), Decimal(0))
    # People who have left stay in the trail of the months they worked in.
    listed = [p for p in people if p.active or not p.is_blank]
    _medians(listed)
    rank = {t.slug: t.rank for t in tier_trails}
    listed.sort(key=lambda p: (rank.get(p.tier, 0), p.name.lower(), p.username))
    step("medians")
    return Trail(month=month, people=listed, tiers=tier_trails, overall=overall)


def _fill(
    person: PersonTrail,
    acts: counts.Acts | None,
    touched: Counter[int],
    bare: Counter[int],
    missed: dict[int, int],
    waited: dict[int, float],
) -> None:
    uid = person.user_id
    if acts is not None:
        person.solved, person.taken = acts.solved, acts.taken
        person.up, person.same, person.down = acts.up, acts.same, acts.down
        person.replies, person.sent_anyway = acts.replies, acts.sent_anyway
    person.touched = touched.get(uid, 0)
    person.bare_passes = bare.get(uid, 0)
    person.deadlines_missed = missed.get(uid, 0)
    person.waiting_hours = waited.get(uid, 0.0) / 3600


def _overall(
    month: Month,
    acts: dict[int, counts.Acts],
    answered: surveys.Surveys,
    step: Callable[[str], None],
) -> Overall:
    opened = counts.openings(month)
    solved = sum(a.solved for a in acts.values())
    overall = Overall(
        opened=opened["opened"],
        solved=solved,
        solved_before_deadline=sum(a.solved_before_deadline for a in acts.values()),
        realtime=opened["realtime"],
        escalated=opened["escalated"],
        survey_answers=answered.answers,
        delighted=answered.delighted,
    )
    step("openings")
    overall.median_hours_to_solve = counts.median_hours_to_solve(month, solved)
    overall.top_problems = counts.top_problems(month)
    step("time to solve and top problems")
    return overall


def _medians(people: list[PersonTrail]) -> None:
    """Each person's tier median pass rate: the ordinary median of the rates of the people
    at their tier who have one (two values: their mean)."""
    rates: dict[str, list[float]] = {}
    for person in people:
        if person.pass_rate is not None:
            rates.setdefault(person.tier, []).append(person.pass_rate)
    for person in people:
        tier_rates = rates.get(person.tier)
        person.tier_median_pass_rate = statistics.median(tier_rates) if tier_rates else None


def _money(value: Decimal) -> str:
    """An amount in the company's currency, to the cent (the ledger's places)."""
    return f"{value:.2f}"


def _when(moment: datetime) -> str:
    return moment.isoformat()


def as_report(trail: Trail) -> dict[str, Any]:
    """The API contract's shape (GET /api/v1/reports/{YYYY-MM})."""
    month, overall = trail.month, trail.overall
    return {
        "month": month.label,
        "time_zone": month.time_zone,
        "start": _when(month.start),
        "end": _when(month.end),
        "people": [_person_report(p) for p in trail.people],
        "tiers": [
            {"slug": t.slug, "name": t.name, "rank": t.rank, "solved": t.solved}
            for t in trail.tiers
        ],
        "overall": {
            "opened": overall.opened,
            "solved": overall.solved,
            "solved_before_deadline_share": _share(overall.solved_before_deadline, overall.solved),
            "median_hours_to_solve": overall.median_hours_to_solve,
            "realtime_share": _share(overall.realtime, overall.opened),
            "escalated": overall.escalated,
            "survey_answers": overall.survey_answers,
            "delighted": overall.delighted,
            "goodwill_value": _money(overall.goodwill_value),
            "waiting_hours": overall.waiting_hours,
            "top_problems": overall.top_problems,
        },
    }


def _person_report(person: PersonTrail) -> dict[str, Any]:
    return {
        "username": person.username,
        "name": person.name,
        "tier": person.tier,
        "touched": person.touched,
        "solved": person.solved,
        "passed": {
            "up": person.up,
            "same": person.same,
            "down": person.down,
            "total": person.passed,
        },
        "taken": person.taken,
        "bare_passes": person.bare_passes,
        "pass_rate": person.pass_rate,
        "tier_median_pass_rate": person.tier_median_pass_rate,
        "deadlines_missed": person.deadlines_missed,
        "replies": person.replies,
        "sent_anyway": person.sent_anyway,
        "waiting_hours": person.waiting_hours,
        "goodwill": {"count": person.goodwill_count, "value": _money(person.goodwill_value)},
        "delighted": person.delighted,
    }
