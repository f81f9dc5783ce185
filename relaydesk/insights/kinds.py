"""Which events mean what to the trail (DESIGN rule 9): the rules cases.spells keeps."""

from django.db.models import F, Q

from relaydesk.cases import spells
from relaydesk.cases.models import EventKind

# A spell starts when a person receives a case: opened to them, passed, taken, escalated or
# reopened to them (the event's to_owner).
RECEIVING = sorted(spells.RECEIVING)
# The events that change who holds a case; a solve ends the last spell of an opening.
OWNERSHIP = [*RECEIVING, EventKind.SOLVED]
# The holder's acts that make a pass not bare: notes, replies, details changes, files
# attached, goodwill given, problem links (linking an open case, cases.problem_links).
ACTS = sorted(spells.ACTS)
# An escalation to the executive who already held the case changes nobody's spell.
SAME_HANDS = Q(kind=EventKind.ESCALATED, from_owner=F("to_owner"))
