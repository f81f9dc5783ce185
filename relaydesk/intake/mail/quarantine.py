"""What a lead does with a quarantined message: retry it, attach it to a case, or discard it.

Each is one transaction and leaves an audit row (QuarantineAudit); attaching also puts the
customer's words on the case's timeline as a `mail_attached` event.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import Case
from relaydesk.intake.mail import attachments as attachment_store
from relaydesk.intake.mail.parse import parse
from relaydesk.intake.mail.process import Result, process
from relaydesk.intake.models import Quarantine, QuarantineAudit, RawMessage
from relaydesk.org.permissions import is_lead
from relaydesk.timekeeping import now


def held() -> QuerySet[Quarantine]:
    return Quarantine.objects.filter(status=Quarantine.Status.HELD).order_by("-received_at", "-id")


def _check(acting: User) -> None:
    if not is_lead(acting):
        raise DomainError("Only leads and admins handle quarantined mail.")


def _resolve(entry: Quarantine, status: str, acting: User, note: str = "", case=None) -> None:
    if entry.status != Quarantine.Status.HELD:
        raise DomainError(f"This message was already {entry.get_status_display().lower()}.")
    entry.status = status
    entry.resolved_at = now()
    entry.resolved_by = acting
    if case is not None:
        entry.case = case
    entry.save()
    QuarantineAudit.objects.create(
        quarantine=entry, action=status, actor=acting, at=entry.resolved_at, note=note
    )


def _locked(entry_id: int) -> Quarantine:
    return Quarantine.objects.select_for_update().select_related("raw_message").get(pk=entry_id)


def retry(entry: Quarantine, *, acting: User) -> Result:
    """Process the message again (e.g. once someone is on duty); it may come back here."""
    _check(acting)
    with transaction.atomic():
        entry = _locked(entry.pk)
        _resolve(entry, Quarantine.Status.RETRIED, acting)
        raw = entry.raw_message
        raw.state = RawMessage.State.RECEIVED
        raw.outcome = RawMessage.Outcome.NONE
        raw.save(update_fields=["state", "outcome"])
    return process(raw.pk)


def attach(entry: Quarantine, case: Case, *, acting: User) -> None:
    """The message belongs to `case`: its words and files join the case's history."""
    _check(acting)
    with transaction.atomic():
        entry = _locked(entry.pk)
        _resolve(entry, Quarantine.Status.ATTACHED, acting, note=case.ref, case=case)
        raw = entry.raw_message
        parsed = parse(raw.raw_bytes())
        try:
            kept, _ = attachment_store.store(raw, parsed.attachments, case=case)
        finally:
            parsed.discard_spooled()
        actions.attach_mail(
            case,
            acting=acting,
            body=parsed.text or "(The message had no text.)",
            subject=parsed.subject,
            sender=parsed.sender,
            attachments=attachment_store.summary(kept),
        )
        raw.state = RawMessage.State.PROCESSED
        raw.outcome = RawMessage.Outcome.ATTACHED
        raw.case = case
        raw.save(update_fields=["state", "outcome", "case"])


def discard(entry: Quarantine, *, acting: User, why: str) -> None:
    """Nothing to do with it (spam, a newsletter); the raw message is kept, the reason logged."""
    _check(acting)
    why = (why or "").strip()
    if not why:
        raise Incomplete("Say why it is discarded.", fields={"why": "This is required."})
    with transaction.atomic():
        entry = _locked(entry.pk)
        _resolve(entry, Quarantine.Status.DISCARDED, acting, note=why[:2000])
        raw = entry.raw_message
        raw.outcome = RawMessage.Outcome.DISCARDED
        raw.save(update_fields=["outcome"])
