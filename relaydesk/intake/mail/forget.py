"""A customer erased (rule 15, relaydesk.cases.erasure): their raw inbound mail forgotten.

The raw bytes (row or file), addresses, subject and Message-ID go (and the address from the
contact form's flood counts); what stays of each row is
its place in the history (case, times, outcome) and `message_key` replaced by its hash
(`erased_key`), so a later redelivery of the same message is still found as a duplicate by
relaydesk.intake.mail.queries.earlier_deliveries and opens nothing.
"""

import hashlib

from django.db import transaction
from django.db.models import Q

from relaydesk.cases.erasure import MARKER, customer_erased
from relaydesk.cases.models import Attachment, Customer
from relaydesk.intake.mail import rawfiles
from relaydesk.intake.models import ContactAttempt, Quarantine, RawMessage

ERASED_PREFIX = "erased:"


def erased_key(message_key: str) -> str:
    """What an erased row keeps of its message key (a redelivery computes the same)."""
    return ERASED_PREFIX + hashlib.sha256(message_key.encode()).hexdigest()


def _their_raw(emails: list[str], case_ids: list[int]) -> list[RawMessage]:
    mine = Q(case_id__in=case_ids) | Q(
        pk__in=Attachment.objects.filter(case_id__in=case_ids).values("raw_message_id")
    )
    for email in emails:
        mine |= Q(sender__iexact=email) | Q(envelope_from__iexact=email)
    return list(RawMessage.objects.filter(mine).exclude(message_key__startswith=ERASED_PREFIX))


def forget_raw_mail(*, emails: list[str], case_ids: list[int]) -> int:
    """Forget the raw mail of the customer with addresses `emails` and cases `case_ids`; the
    files go once the transaction commits. Returns how many rows were forgotten."""
    rows = _their_raw(emails, case_ids)
    files = {row.raw_file for row in rows if row.raw_file}
    for row in rows:
        RawMessage.objects.filter(pk=row.pk).update(
            message_key=erased_key(row.message_key),
            message_id="",
            raw=b"",
            raw_file="",
            envelope_from="",
            envelope_to=[],
            sender="",
            subject=MARKER if row.subject else "",
            outcome_reason="",
            last_error="",
        )
    Quarantine.objects.filter(raw_message__in=[row.pk for row in rows]).update(
        sender="", subject=MARKER
    )
    # The contact form's flood counts keep the address; the IP's count is enough without it.
    if emails:
        ContactAttempt.objects.filter(email__in=[e.lower() for e in emails]).update(email="")
    # A file is named by its content's hash: delete it unless a row not erased still holds it.
    still_used = set(
        RawMessage.objects.filter(raw_file__in=files).values_list("raw_file", flat=True)
    )

    def delete_files() -> None:
        for name in files - still_used:
            if "/" not in name and not name.startswith("."):
                (rawfiles.raw_dir() / name).unlink(missing_ok=True)

    transaction.on_commit(delete_files)
    return len(rows)


def on_customer_erased(sender, *, customer: Customer, emails: list[str], case_ids: list[int], **kw):
    forget_raw_mail(emails=emails, case_ids=case_ids)


def connect() -> None:
    customer_erased.connect(on_customer_erased, dispatch_uid="intake.forget_raw_mail")
