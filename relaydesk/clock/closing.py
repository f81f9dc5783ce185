"""The worker's closing step (rule 8): a solved case closes by itself once the company's
`reopen_within` has passed since its last solve. Until then the customer's word reopens it;
after it, their word opens a new case that names this one (relaydesk.intake.mail.process).

Claimed like the other sweeps (relaydesk.clock.sweep): one short transaction per batch,
`select_for_update(skip_locked=True)` ordered by solve time through the partial index
case_solved_close_idx, so any number of workers close each case exactly once. The claimed rows
stay locked until the batch commits, so a case reopened meanwhile is not among them; `close`
checks again that the case is solved.
"""

import logging

from django.db import transaction

from relaydesk.cases import actions
from relaydesk.cases.models import Case, Status
from relaydesk.clock.sweep import claim
from relaydesk.org.company import duration_words, reopen_within
from relaydesk.timekeeping import now

log = logging.getLogger("relaydesk.clock")

CLOSING_BATCH_SIZE = 100


def handle_one_closing_batch(limit: int = CLOSING_BATCH_SIZE) -> bool:
    """Close a batch of solved cases whose reopen window has passed; True if there were any."""
    window = reopen_within()
    why = f"No word from the customer within {duration_words(window)} of the solve."
    with transaction.atomic():
        due = Case.objects.filter(status=Status.SOLVED, solved_at__lte=now() - window)
        ids = claim(due, "solved_at", limit)
        if not ids:
            return False
        for case_id in ids:
            actions.close(Case(pk=case_id), acting=None, why=why)
    log.info("closed %d solved cases after %s", len(ids), duration_words(window))
    return True
