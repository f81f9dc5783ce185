"""The demo's trail has something true to show: one frontline person who passes the buck, and
one specialist promoted to expert halfway through the history.

The passer (PASSER) passes four of every five cases they would have solved up to the next
tier, straight away and mostly bare (nothing done in their spell but the pass), so their pass
rate stands far above their tier's median in every month of the history. The count is fixed,
not drawn, so the buck list shows them at any size of demo with ten of their spells in a month;
the timing and the words come from a generator of its own (seeded from the story generator's
state), so the rest of the demo's story is drawn as before.
"""

import random
from datetime import datetime, timedelta

from relaydesk.cases import actions
from relaydesk.cases.models import Case, PassReason
from relaydesk.org.actions import change_tier
from relaydesk.org.models import Staff, Tier
from relaydesk.setup import demo_stories as words
from relaydesk.setup.demo_steps import Step
from relaydesk.timekeeping import pinned

PASSER = "lvisser"
KEPT_EVERY = 5  # the passer solves one case in five that reach their solve; the rest go up
REASONS = [PassReason.NEEDS_EXPERTISE, PassReason.NEEDS_EXPERTISE, PassReason.NEEDS_AUTHORITY]
PROMOTED = "pnowak"
PROMOTED_TO = "expert"


class DemoTrail:
    def __init__(self, rng: random.Random, staff: list[Staff], promoted_at: datetime):
        # From the state's integers only: hash(None) in the state differs between processes.
        seed = hash((rng.getstate()[1], 16))
        self.rng = random.Random(seed)  # noqa: S311 - a story, not a secret
        self.passer = next((s for s in staff if s.user.username == PASSER), None)
        self.promoted = next((s for s in staff if s.user.username == PROMOTED), None)
        self.promoted_at: datetime | None = promoted_at
        self.solves = 0

    def promote_by(self, moment: datetime) -> None:
        """The promotion, once the history reaches its moment (the staff row is the builder's,
        so the builder's picks see the new tier)."""
        if self.promoted_at is None or moment < self.promoted_at:
            return
        at, self.promoted_at = self.promoted_at, None
        tier = Tier.objects.filter(slug=PROMOTED_TO).first()
        if self.promoted is not None and tier is not None:
            with pinned(at):
                change_tier(self.promoted, tier, acting=None, at=at)

    def passes_instead(self, case: Case, step: Step) -> bool:
        """The passer, about to solve a case, passes it up instead (four times in five)."""
        if self.passer is None or step.kind != "solve" or case.owner_id != self.passer.user_id:
            return False
        if not case.is_open or case.escalated or case.waiting_since is not None:
            return False
        if case.tier.rank != self.passer.tier.rank:
            return False
        self.solves += 1
        return self.solves % KEPT_EVERY != 0

    def pass_up(self, case: Case, tiers: list[Tier], steps: list[Step], following: int) -> Case:
        """Pass the case a tier up; whoever receives it solves it a little later."""
        reason = self.rng.choice(REASONS)
        assert case.owner is not None, "passes_instead said the passer owns it"
        passed = actions.pass_case(
            case,
            acting=case.owner,
            reason=reason,
            note=words.PASS_NOTES[reason],
            to_tier=tiers[case.tier.rank + 1],
        )
        steps.insert(following, Step("solve", timedelta(minutes=self.rng.uniform(40, 300))))
        return passed
