"""One step of a demo story: what happens to a case, and how long after the step before."""

from dataclasses import dataclass
from datetime import timedelta


@dataclass
class Step:
    # open, note, details, pass_up, pass_same, pass_to, take, solve, reopen, close; and the
    # conversation's (relaydesk.setup.demo_conversation): reply, ask, answer, nudge, survey
    kind: str
    after: timedelta
    rank: int = 0  # the target tier's rank for pass_up and take
    reason: str = ""  # a pass's reason; "sorry" for the reply after a low survey rating
    username: str = ""  # the receiver for pass_to
    rating: int = 0  # the survey's rating, 1 to 5
