"""Which events mean what to the trail (DESIGN rule 9)."""

from django.db.models import F, Q

from relaydesk.cases.models import EventKind

# A spell starts when a person receives a case: opened to them, passed, taken, escalated or
# reopened to them (the event's to_owner).
RECEIVING = [
    EventKind.OPENED,
    EventKind.PASSED,
    EventKind.TAKEN,
    EventKind.ESCALATED,
    EventKind.REOPENED,
]
# The events that change who holds a case; a solve ends the last spell of an opening.
OWNERSHIP = [*RECEIVING, EventKind.SOLVED]
# The passer's acts that make a pass not bare: notes, replies, details changes, files attached,
# goodwill given (problem links are made by solving, which ends the spell instead of a pass).
ACTS = [
    EventKind.NOTE,
    EventKind.REPLIED,
    EventKind.FIELD_CHANGED,
    EventKind.MAIL_ATTACHED,
    EventKind.GOODWILL,
]
# An escalation to the executive who already held the case changes nobody's spell.
SAME_HANDS = Q(kind=EventKind.ESCALATED, from_owner=F("to_owner"))
