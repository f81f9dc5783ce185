"""Which case a message belongs to, and the headers that make our mail thread back.

Ways in: our Message-ID in In-Reply-To/References, the per-case reply address
(support+rd1042.<hmac>@domain, unguessable), the Message-ID of an earlier message from the same
sender on the case, or the [RD-1042] subject tag, which counts only when the sender is that
case's customer: anyone can type a tag, so a stranger's tag opens a new case instead of
speaking as the customer. Only the first two prove the mail is the customer's (`proven`); the
others rest on a From header anyone can write (relaydesk.intake.mail.proof, rule 11).
Headers only we set (X-Relaydesk-Ref) are never read from inbound mail.
"""

import hmac
import re
from dataclasses import dataclass

from relaydesk.cases.mail_threads import reply_key
from relaydesk.cases.models import REF_OFFSET, Case
from relaydesk.intake.mail.parse import Parsed
from relaydesk.intake.models import RawMessage
from relaydesk.org.addresses import mail_domain
from relaydesk.outbox.models import OutgoingMail

SUBJECT_TAG = re.compile(r"\[RD-(\d{1,12})\]", re.IGNORECASE)
REPLY_LOCAL = re.compile(r"^[^+@]+\+rd(\d{1,12})\.([0-9a-f]{16})$")


def case_for_reply_address(address: str) -> Case | None:
    local, _, domain = address.lower().rpartition("@")
    if domain != mail_domain().lower():
        return None
    match = REPLY_LOCAL.match(local)
    if not match:
        return None
    case = Case.objects.filter(pk=int(match.group(1)) - REF_OFFSET).first()
    if case is None or not hmac.compare_digest(reply_key(case), match.group(2)):
        return None
    return case


@dataclass
class Thread:
    case: Case
    via: str  # "reply_address", "message_id", "earlier_message" or "subject_tag"
    # The way in proves the mail is the customer's (rule 11): the reply address, or an answer
    # to a Message-ID we sent. Another customer message's id or a subject tag prove nothing.
    proven: bool = False


@dataclass
class NotThreaded:
    note: str = ""  # why a tag was not trusted, recorded on the new case


def find_thread(parsed: Parsed, recipients: list[str]) -> Thread | NotThreaded:
    for address in recipients:
        case = case_for_reply_address(address)
        if case is not None:
            return Thread(case, "reply_address", proven=True)
    referenced = list(dict.fromkeys([*parsed.in_reply_to, *reversed(parsed.references)]))[:50]
    if referenced:
        sent = (
            OutgoingMail.objects.filter(message_id__in=referenced, case__isnull=False)
            .select_related("case")
            .order_by("-id")
            .first()
        )
        if sent is not None and sent.case is not None:
            return Thread(sent.case, "message_id", proven=True)
        earlier = (
            RawMessage.objects.filter(message_id__in=referenced, case__isnull=False)
            .select_related("case")
            .order_by("-id")
            .first()
        )
        if earlier is not None and earlier.case is not None and earlier.sender == parsed.sender:
            return Thread(earlier.case, "earlier_message")
    match = SUBJECT_TAG.search(parsed.subject)
    if match:
        case = (
            Case.objects.select_related("customer")
            .filter(pk=int(match.group(1)) - REF_OFFSET)
            .first()
        )
        if case is not None:
            if parsed.sender and case.customer.email.lower() == parsed.sender:
                return Thread(case, "subject_tag")
            return NotThreaded(
                f"The subject names {case.ref}, but {parsed.sender or 'the sender'} is not "
                f"that case's customer, so this opened a new case."
            )
    return NotThreaded()
