"""What a stored message becomes: a new case, a reply on a case, a recorded bounce, a duplicate
of an earlier message, or a quarantine entry with its reason. Never nothing.

`process(raw_id)` is idempotent: each attempt first claims the row (a conditional UPDATE that
locks it, only while it is still `received`), and what the message becomes is written in that
same transaction together with the row's new state. So a message already processed is left
alone, two attempts at once (the SMTP thread and the pending sweep) do the work once, and a
crash half-way leaves the row `received` for the next attempt. The message is parsed before
the transaction starts, so the database's write lock is held only for the writing.
"""

import logging
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Case, Channel
from relaydesk.intake.mail import attachments as attachment_store
from relaydesk.intake.mail import queries
from relaydesk.intake.mail.forget import erased_key
from relaydesk.intake.mail.loops import automatic_reason, looks_like_bounce, only_suppresses_replies
from relaydesk.intake.mail.parse import Parsed, parse
from relaydesk.intake.mail.proof import authenticated_by_trusted_server
from relaydesk.intake.mail.threads import NotThreaded, Thread, find_thread
from relaydesk.intake.models import MailRule, Quarantine, RawMessage
from relaydesk.org.models import Category
from relaydesk.outbox.models import OutgoingMail
from relaydesk.timekeeping import now

log = logging.getLogger("relaydesk.mail")

OUR_MESSAGE_ID = re.compile(r"<rd\.[0-9a-f]{24}@[^>\s]+>")
# Every Message-ID we send starts so (relaydesk.outbox.queue.make_message_id); a message whose
# own Message-ID does not cannot be ours coming back, and needs no look-up in the outbox.
OURS_PREFIX = "<rd."
Outcome = RawMessage.Outcome
MAX_SUBJECT = 200


class Quarantined(Exception):
    """This message cannot become a case or a reply; the reason is shown to a lead."""

    def __init__(self, reason: str, case: Case | None = None):
        super().__init__(reason)
        self.reason = reason
        self.case = case


class AlreadyProcessed(Exception):
    """Another attempt finished this message first; what this one began is rolled back."""


@dataclass
class Result:
    outcome: str
    case: Case | None = None
    reason: str = ""
    duplicate_of: int | None = None


def process(
    raw_id: int, *, raw_bytes: bytes | None = None, raw: RawMessage | None = None
) -> Result:
    """Process one stored message, once. `raw_bytes` are the stored bytes and `raw` the row
    as just stored, when at hand (they save reading them back)."""
    if raw is None:
        raw = RawMessage.objects.defer("raw").get(pk=raw_id)
    if raw.state != RawMessage.State.RECEIVED:
        return Result(raw.outcome, raw.case, "already processed")
    if raw_bytes is None:
        raw_bytes = raw.raw_bytes()
    parsed = parse(raw_bytes)
    raw.sender = parsed.sender[:320]
    raw.subject = parsed.subject[:300]
    raw.fingerprint = parsed.fingerprint
    try:
        try:
            with transaction.atomic():
                _claim(raw)
                result = _decide(raw, parsed, raw_bytes)
                _finish(raw, result)
        except Quarantined as refusal:  # what this message began is rolled back
            with transaction.atomic():
                _claim(raw)
                result = quarantine(raw, refusal.reason, case=refusal.case)
                _finish(raw, result)
    except AlreadyProcessed:
        raw = RawMessage.objects.defer("raw").select_related("case").get(pk=raw.pk)
        return Result(raw.outcome, raw.case, "already processed")
    finally:
        parsed.discard_spooled()
    log.info("mail %s from %s: %s %s", raw.pk, raw.sender, result.outcome, result.reason)
    return result


def _claim(raw: RawMessage) -> None:
    if not queries.claim(raw.pk):
        raise AlreadyProcessed


def _finish(raw: RawMessage, result: Result) -> None:
    """Record what the message became, in the transaction that claimed it and made it so."""
    raw.state = (
        RawMessage.State.QUARANTINED
        if result.outcome == Outcome.QUARANTINED
        else RawMessage.State.PROCESSED
    )
    raw.outcome = result.outcome
    raw.outcome_reason = result.reason[:500]
    raw.case = result.case
    raw.duplicate_of_id = result.duplicate_of
    raw.processed_at = now()
    if not queries.finish(raw):
        raise AlreadyProcessed  # cannot happen while the claim holds; never write twice
    raw.attempts += 1


def quarantine(raw: RawMessage, reason: str, *, case: Case | None = None) -> Result:
    Quarantine.objects.create(
        raw_message=raw,
        received_at=raw.received_at,
        sender=raw.sender,
        subject=raw.subject,
        reason=reason[:500],
        case=case,
    )
    return Result(Outcome.QUARANTINED, None, reason)


def _decide(raw: RawMessage, parsed: Parsed, raw_bytes: bytes) -> Result:
    earlier = _earlier_deliveries(raw)
    keys = (raw.message_key, erased_key(raw.message_key))  # erased: intake.mail.forget
    again = next((row for row in earlier if row.message_key in keys), None)
    if again is not None:
        return _duplicate(
            again, f"The same message (Message-ID and body) as message {again.pk}, delivered again."
        )
    if parsed.message_id.startswith(OURS_PREFIX) and (
        OutgoingMail.objects.filter(message_id=parsed.message_id).exists()
    ):
        raise Quarantined("This is our own message coming back (a mail loop); not answered.")
    if looks_like_bounce(parsed):
        return _bounce(raw, parsed, raw_bytes)
    automatic = automatic_reason(parsed, envelope_from=raw.envelope_from)
    same_words = next((row for row in earlier if row.fingerprint == raw.fingerprint), None)
    if same_words is not None:
        return _duplicate(
            same_words,
            f"The same sender, subject and words as message {same_words.pk} within "
            f"{settings.MAIL_DUPLICATE_MINUTES} minutes.",
        )
    recipients = list(dict.fromkeys([*raw.envelope_to, *parsed.recipients]))
    thread = find_thread(parsed, recipients)
    if isinstance(thread, Thread):
        thread.case = actions.kept_case(thread.case)  # a merged duplicate's mail: the kept case
        return _reply(raw, parsed, thread, recipients, automatic=automatic)
    if automatic and not only_suppresses_replies(automatic):
        raise Quarantined(
            f"An automatic message ({automatic}) that belongs to no case; "
            "it opens nothing and is not answered."
        )
    if not parsed.sender:
        raise Quarantined("No readable sender address (From), so nobody to open a case for.")
    return _new_case(raw, parsed, recipients, thread, automatic=automatic)


@dataclass
class Earlier:
    pk: int
    message_key: str
    fingerprint: str
    case_id: int | None


def _earlier_deliveries(raw: RawMessage) -> list[Earlier]:
    """The rows this message may duplicate, in one query, oldest first:
    - an earlier delivery of the same message (same message key), whatever became of it;
    - the same sender, subject and words within minutes, already processed into a case."""
    since = raw.received_at - timedelta(minutes=settings.MAIL_DUPLICATE_MINUTES)
    rows = queries.earlier_deliveries(
        raw_id=raw.pk, message_key=raw.message_key, fingerprint=raw.fingerprint, since=since
    )
    return [Earlier(*row) for row in rows]


def _duplicate(original: Earlier, reason: str) -> Result:
    """Nothing new: the row points at the first delivery (and at its case, if it has one)."""
    case = Case.objects.filter(pk=original.case_id).first() if original.case_id else None
    return Result(Outcome.DUPLICATE, case, f"{reason} Nothing new was created.", original.pk)


def _body_with_notes(parsed: Parsed, refused: list[str]) -> tuple[str, list[str]]:
    notes = list(refused)
    if parsed.html_only:
        notes.append("The message was HTML only; this is its text.")
    notes.extend(parsed.problems)
    return parsed.text or "(The message had no text.)", notes


UNVERIFIED = (
    "Unverified: nothing proves this mail is the customer's. It was not sent to the case's "
    "reply address, answers no message we sent, and no trusted mail server vouches for its "
    "sender; anyone can write a From line and a case reference. It reopens nothing."
)


def _proof(parsed: Parsed, thread: Thread) -> str:
    """Why this mail may speak as the customer (rule 11), as a note; "" when nothing proves it.
    The reply address and our Message-ID need no note: the event's `via` says so."""
    if thread.proven:
        return thread.via
    vouching = authenticated_by_trusted_server(parsed)
    if vouching:
        return f"Its sender's domain passed authentication at {vouching} (Authentication-Results)."
    return ""


def _reply(
    raw: RawMessage,
    parsed: Parsed,
    thread: Thread,
    recipients: list[str],
    *,
    automatic: str | None,
) -> Result:
    proof = _proof(parsed, thread)
    if proof and not automatic and actions.needs_a_follow_up(thread.case):
        return _follow_up(raw, parsed, thread, recipients)
    kept, refused = attachment_store.store(raw, parsed.attachments, case=thread.case)
    body, notes = _body_with_notes(parsed, refused)
    if automatic:
        notes.append(f"Automatic message ({automatic}): recorded, not answered.")
    if proof and not thread.proven:
        notes.append(proof)
    if not proof:
        notes.append(UNVERIFIED)
    actions.customer_wrote(
        thread.case,
        body=body,
        message_id=parsed.message_id,
        subject=parsed.subject,
        sender=parsed.sender,
        via=thread.via,
        attachments=attachment_store.summary(kept),
        notes=notes,
        automatic=bool(automatic),
        verified=bool(proof),
    )
    return Result(Outcome.REPLY, thread.case, f"via {thread.via}{'' if proof else ', unverified'}")


def _follow_up(raw: RawMessage, parsed: Parsed, thread: Thread, recipients: list[str]) -> Result:
    """Rule 8: the customer's word on a closed case opens a new case that names the old one,
    for the same customer and (while it takes cases) the same category."""
    earlier = Case.objects.select_related("category", "customer").get(pk=thread.case.pk)
    check_the_senders_cap(earlier.customer.email)
    category = earlier.category if earlier.category.active else category_for(recipients, parsed)
    try:
        case = actions.open_case(
            customer=earlier.customer,
            category=category,
            subject=f"{case_subject(earlier.subject)} (follow-up to {earlier.ref})",
            channel=Channel.EMAIL,
            in_reply_to=parsed.message_id,
            references=parsed.references,
            follow_up_of=earlier,
        )
    except DomainError as refusal:
        raise Quarantined(f"Could not open a follow-up case: {refusal.message}") from refusal
    kept, refused = attachment_store.store(raw, parsed.attachments, case=case)
    body, notes = _body_with_notes(parsed, refused)
    notes.append(f"{earlier.ref} was closed, so this opened a new case that follows it up.")
    actions.customer_wrote(
        case,
        body=body,
        message_id=parsed.message_id,
        subject=parsed.subject,
        sender=parsed.sender,
        via=thread.via,
        attachments=attachment_store.summary(kept),
        notes=notes,
        wake=False,  # the owner was just told the case is theirs
    )
    return Result(Outcome.NEW_CASE, case, f"follow-up to {earlier.ref}")


def _bounce(raw: RawMessage, parsed: Parsed, raw_bytes: bytes) -> Result:
    bounce = parsed.bounce
    referenced = [*(bounce.referenced_ids if bounce else []), *parsed.in_reply_to]
    referenced += parsed.references
    referenced += OUR_MESSAGE_ID.findall(raw_bytes[: 1024 * 1024].decode("latin-1"))
    ours = (
        OutgoingMail.objects.filter(message_id__in=list(dict.fromkeys(referenced))[:200])
        .exclude(case__isnull=True)
        .select_related("case")
        .order_by("-id")
        .first()
    )
    if ours is None or ours.case is None:
        raise Quarantined(
            "A delivery failure notice about a message Relaydesk did not send (or cannot "
            "identify); it opens nothing and is not answered."
        )
    actions.record_bounce(
        ours.case,
        recipient=(bounce.recipient if bounce else "") or ours.to,
        status=bounce.status if bounce else "",
        diagnostic=(bounce.diagnostic if bounce else "") or parsed.subject,
        message_id=ours.message_id,
    )
    return Result(Outcome.BOUNCE, ours.case, f"bounce of {ours.message_id}")


# open_case reads a category's intake fields once per Category instance and keeps them on
# it; mail reuses an instance from one message to the next while the category's row is
# unchanged, for at most this long. (Mail cases carry no details, so the fields only check an
# empty set; a changed row, e.g. a new mail address or a deactivation, is seen at once.)
CATEGORY_REUSE_SECONDS = 60
_reused: dict[int, tuple[tuple, float, Category]] = {}


def _reuse(fresh: Category) -> Category:
    row = tuple(getattr(fresh, f.attname) for f in Category._meta.concrete_fields)
    kept = _reused.get(fresh.pk)
    moment = time.monotonic()
    if kept is not None and kept[0] == row and moment - kept[1] < CATEGORY_REUSE_SECONDS:
        return kept[2]
    _reused[fresh.pk] = (row, moment, fresh)
    return fresh


def category_for(recipients: list[str], parsed: Parsed) -> Category:
    """The recipient's category (Category.mail_address), else the first matching rule, else
    the configured default, else the first active category. (Two small queries.)"""
    active = [_reuse(category) for category in queries.active_categories()]
    if not active:
        raise Quarantined("There is no active category to open a case in.")
    lowered = {r.lower() for r in recipients}
    for category in active:
        if category.mail_address and category.mail_address.lower() in lowered:
            return category
    by_id = {category.pk: category for category in active}
    for field, text, category_id in queries.mail_rules():
        if category_id not in by_id:
            continue  # the rule's category is not active
        haystack = parsed.subject if field == MailRule.Field.SUBJECT else parsed.sender
        if text.lower() in haystack.lower():
            return by_id[category_id]
    default = settings.MAIL_DEFAULT_CATEGORY
    return next((c for c in active if c.slug == default), active[0])


def check_the_senders_cap(address: str) -> None:
    """A sender may open RELAYDESK_MAIL_CASES_PER_SENDER_HOUR cases by mail an hour; past it
    their new mail waits in the quarantine, where a lead can open it as a case (retry), attach
    it to one, or discard it. Their mail to an existing case still arrives."""
    cap = settings.MAIL_CASES_PER_SENDER_HOUR
    if cap <= 0:
        return
    if queries.cases_opened_by_mail(address, since=now() - timedelta(hours=1)) >= cap:
        raise Quarantined(
            f"{address} has opened {cap} cases by mail in the last hour, the most one sender "
            "may (RELAYDESK_MAIL_CASES_PER_SENDER_HOUR); this message opened none."
        )


def case_subject(subject: str) -> str:
    """The case's subject from a mail subject; kept short enough for every line that quotes it
    (notifications and mail subjects are limited to 300 characters)."""
    subject = " ".join(subject.split())
    if len(subject) > MAX_SUBJECT:
        subject = subject[: MAX_SUBJECT - 1] + "…"
    return subject or "(no subject)"


def _new_case(
    raw: RawMessage,
    parsed: Parsed,
    recipients: list[str],
    thread: NotThreaded,
    *,
    automatic: str | None,
) -> Result:
    check_the_senders_cap(parsed.sender)
    category = category_for(recipients, parsed)
    try:
        # Inside process()'s claim transaction: the case, its customer and the message's
        # outcome commit together, so a message processed twice opens one case.
        case = actions.open_case(
            customer_name=parsed.sender_name or parsed.sender,
            customer_email=parsed.sender,
            category=category,
            subject=case_subject(parsed.subject),
            channel=Channel.EMAIL,
            in_reply_to=parsed.message_id,
            references=parsed.references,
            acknowledgement_suppressed=automatic or "",
        )
    except DomainError as refusal:
        raise Quarantined(f"Could not open a case: {refusal.message}") from refusal
    kept, refused = attachment_store.store(raw, parsed.attachments, case=case)
    body, notes = _body_with_notes(parsed, refused)
    if thread.note:
        notes.append(thread.note)
    actions.customer_wrote(
        case,
        body=body,
        message_id=parsed.message_id,
        subject=parsed.subject,
        sender=parsed.sender,
        via="new",
        attachments=attachment_store.summary(kept),
        notes=notes,
        wake=False,  # the owner was just told the case is theirs
    )
    return Result(Outcome.NEW_CASE, case, category.slug)
