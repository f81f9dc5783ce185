"""The demo's goodwill (rule 13): most gestures small and given at once by the case's owner, a
few above the owner's limit that someone at a higher tier approves a little later, and one
declined, all through relaydesk.goodwill.actions with the demo's pinned clock.

It draws from a generator of its own (seeded from the story generator's state), so the rest of
the demo's history is the same with or without it.
"""

import random
from datetime import timedelta
from decimal import Decimal

from relaydesk.cases.models import Case, Status
from relaydesk.goodwill.actions import approve_goodwill, decline_goodwill, give_goodwill
from relaydesk.goodwill.approvers import approvers_for
from relaydesk.goodwill.budget import limit_of, top_rank
from relaydesk.goodwill.models import Gesture, State
from relaydesk.org.models import Staff
from relaydesk.setup.demo_steps import Step

KINDS = frozenset({"goodwill", "goodwill_decide"})
SHARE = 0.08  # of the stories that have a solve
LARGE_SHARE = 0.1  # of the gestures: above a frontline limit, so they wait for approval
FIRST_LARGE = 3  # the first stories with a gesture ask for a large one: the demo always has some
SMALL = ["5", "7.50", "10", "12.50", "15", "20", "25"]
LARGE = ["40", "60", "80", "120", "150", "250", "600"]
GESTURES = [
    ("credit", "A credit on the account for the trouble we caused."),
    ("refund", "Refunded the seat reservation, which we could not honour."),
    ("gift", "Two free coffee vouchers for the next journey."),
    ("upgrade", "First class on the return journey, on us."),
    ("other", "Paid the taxi home the customer had to take."),
]
DECLINED_WHY = "The delay repay already covers this journey; a second payment is not due."


class DemoGoodwill:
    def __init__(self, rng: random.Random):
        # From the state's integers only: hash(None) in the state differs between processes,
        # which made the demo's gestures differ from run to run with the same seed.
        self.rng = random.Random(hash(rng.getstate()[1]))  # noqa: S311 - a story, not a secret
        self.planned = 0
        self.declined = False

    def plan(self, steps: list[Step]) -> list[Step]:
        """`steps` with a gesture (and, for a large one, the decision on it) before the first
        solve of some stories; the solve keeps its time."""
        solves = [index for index, step in enumerate(steps) if step.kind == "solve"]
        kinds = [step.kind for step in steps[: solves[0]]] if solves else []
        # Giving is the owner's act, which would end a wait for the customer (rule 16) that
        # the demo's planning expects only their answer or a solve to end.
        unanswered = kinds.count("ask") != kinds.count("answer")
        if not solves or unanswered or self.rng.random() >= SHARE:
            return steps
        self.planned += 1
        large = self.planned <= FIRST_LARGE or self.rng.random() < LARGE_SHARE
        solve = steps[solves[0]]
        give = Step("goodwill", solve.after * self.rng.uniform(0.2, 0.5), rank=int(large))
        added = [give]
        if large:
            added.append(Step("goodwill_decide", solve.after * self.rng.uniform(0.1, 0.3)))
        solve.after = max(solve.after - sum((s.after for s in added), timedelta(0)), timedelta(0))
        steps[solves[0] : solves[0]] = added
        return steps

    def play(self, case: Case, step: Step) -> None:
        if case.status == Status.CLOSED or case.owner is None:
            return
        if step.kind == "goodwill":
            kind, note = self.rng.choice(GESTURES)
            value = Decimal(self.rng.choice(self._large(case) if step.rank else SMALL))
            give_goodwill(case, acting=case.owner, kind=kind, value=value, note=note)
        else:
            self._decide(case)

    def _large(self, case: Case) -> list[str]:
        """The large values above the owner's limit, so the gesture waits for approval (all
        of them for an executive, who has no limit)."""
        tier = Staff.objects.select_related("tier").get(user=case.owner).tier
        limit = limit_of(tier, top_rank())
        above = [value for value in LARGE if limit is not None and Decimal(value) > limit]
        return above or LARGE

    def _decide(self, case: Case) -> None:
        gesture = (
            Gesture.objects.filter(case=case, state=State.PENDING)
            .select_related("given_by__staff")
            .first()
        )
        if gesture is None:
            return
        giver = Staff.objects.select_related("tier", "user").get(user=gesture.given_by)
        deciders = approvers_for(
            giver, gesture.value, over_budget=gesture.over_budget, top=top_rank()
        )
        if not deciders:
            return
        if not self.declined:
            self.declined = True
            decline_goodwill(gesture, acting=deciders[0], why=DECLINED_WHY)
        else:
            approve_goodwill(gesture, acting=deciders[0])
