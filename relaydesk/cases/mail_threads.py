"""The headers that make our mail about a case thread back to it: the per-case reply address
(support+rd1042.<hmac>@domain, unguessable) and In-Reply-To/References to the case's earlier mail.
relaydesk.intake.mail.threads reads them back from inbound mail."""

import hashlib
import hmac
from collections.abc import Sequence

from django.conf import settings

from relaydesk.cases.models import REF_OFFSET, Case
from relaydesk.org.addresses import mail_domain, sender_address
from relaydesk.outbox.models import OutgoingMail


def reply_key(case: Case) -> str:
    # reply_secret took over the old status token's value for cases that had one (migration
    # cases 0008), so the key, and the reply addresses already sent, stay the same.
    message = f"reply:{case.pk}:{case.reply_secret}".encode()
    return hmac.digest(settings.SECRET_KEY.encode(), message, hashlib.sha256).hex()[:16]


def reply_address(case: Case) -> str:
    """The per-case address that threads back: support+rd1042.<key>@mail-domain."""
    sender = sender_address()
    local = sender.partition("@")[0] or "support"
    return f"{local}+rd{case.pk + REF_OFFSET}.{reply_key(case)}@{mail_domain(sender)}"


def outgoing_headers(
    case: Case, *, in_reply_to: str = "", references: Sequence[str] = (), first: bool = False
) -> dict:
    """Headers for any mail we send about `case` (acknowledgement, replies): threading back.

    `first`: the case's first mail to the customer (no earlier ones to refer to)."""
    headers = {"Reply-To": reply_address(case), "X-Relaydesk-Ref": case.ref}
    earlier = (
        []
        if first
        else list(
            OutgoingMail.objects.filter(case=case, to=case.customer.email)
            .order_by("-id")
            .values_list("message_id", flat=True)[:5]
        )
    )
    chain = [*references, *reversed(earlier)]
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
        if in_reply_to not in chain:
            chain.append(in_reply_to)
    elif earlier:
        headers["In-Reply-To"] = earlier[0]
    if chain:
        headers["References"] = " ".join(dict.fromkeys(chain))[:2000]
    return headers
