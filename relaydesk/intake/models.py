"""What came in by mail and the contact form: raw deliveries, mail rules, quarantine."""

from django.db import models

from relaydesk.intake.mail import rawfiles
from relaydesk.org.models import Category


class MailRule(models.Model):
    """Mail whose subject or sender contains `text` opens its case in `category`.

    Rules are tried in position order after the recipient address (Category.mail_address).
    """

    class Field(models.TextChoices):
        SUBJECT = "subject", "Subject"
        SENDER = "sender", "Sender address"

    field = models.CharField(max_length=10, choices=Field.choices, default=Field.SUBJECT)
    text = models.CharField(max_length=200, help_text="Matched without regard to case.")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="mail_rules")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.field} contains {self.text!r} → {self.category.slug}"


class RawMessage(models.Model):
    """One delivery of an inbound message exactly as it arrived, stored and committed before
    any processing. Every delivery gets its own row, a redelivery too (raw rows = deliveries).

    `message_key` (Message-ID plus a hash of the body, or a hash of the whole message when it
    has no Message-ID) names the message: a later delivery with the key of an earlier row is
    processed as its duplicate (`duplicate_of`) and creates nothing new. `delivery_key` names
    the delivery itself where the transport can (IMAP: mailbox, UIDVALIDITY and UID), so the
    same IMAP message fetched twice after a crash is stored once.
    """

    class State(models.TextChoices):
        RECEIVED = "received", "Received, not yet processed"
        PROCESSED = "processed", "Processed"
        QUARANTINED = "quarantined", "Quarantined"

    class Outcome(models.TextChoices):
        NONE = "", "Not yet"
        NEW_CASE = "new_case", "Opened a case"
        REPLY = "reply", "Threaded into a case"
        BOUNCE = "bounce", "Bounce recorded on a case"
        DUPLICATE = "duplicate", "Duplicate of an earlier message"
        QUARANTINED = "quarantined", "Quarantined"
        ATTACHED = "attached", "Attached to a case from quarantine"
        DISCARDED = "discarded", "Discarded from quarantine"

    message_key = models.CharField(max_length=255)
    delivery_key = models.CharField(max_length=255, blank=True)
    message_id = models.CharField(max_length=998, blank=True)
    raw = models.BinaryField(blank=True, help_text="The message; empty when kept as a file.")
    raw_file = models.CharField(
        max_length=100,
        blank=True,
        help_text="A big message is kept as this file in RELAYDESK_HOME/mail/raw instead.",
    )
    size = models.PositiveIntegerField()
    source = models.CharField(max_length=20)
    envelope_from = models.CharField(max_length=320, blank=True)
    envelope_to = models.JSONField(default=list, blank=True)
    received_at = models.DateTimeField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.RECEIVED)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    sender = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_reason = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # relaydesk.intake.mail.imap: one row per IMAP message however often it is fetched.
            models.UniqueConstraint(
                fields=["delivery_key"],
                condition=~models.Q(delivery_key=""),
                name="raw_delivery_key_unique",
            )
        ]
        indexes = [
            # relaydesk.intake.mail.process: the same message delivered before.
            models.Index(fields=["message_key"], name="raw_message_key_idx"),
            # relaydesk.intake.mail.receive.process_pending: stored but not yet processed.
            models.Index(
                fields=["received_at"], condition=models.Q(state="received"), name="raw_pending_idx"
            ),
            # relaydesk.intake.mail.process: same sender+subject+body within minutes.
            models.Index(fields=["fingerprint", "received_at"], name="raw_fingerprint_idx"),
            # relaydesk.intake.mail.threading: a reply that references an earlier inbound mail.
            models.Index(fields=["message_id"], name="raw_message_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"

    def raw_bytes(self) -> bytes:
        """The message exactly as it arrived, from the database or from its file."""
        if self.raw_file:
            return rawfiles.read(self.raw_file)
        return bytes(self.raw)


class Quarantine(models.Model):
    """A message that could not be processed, with the reason, waiting for a lead."""

    class Status(models.TextChoices):
        HELD = "held", "Held"
        RETRIED = "retried", "Retried"
        ATTACHED = "attached", "Attached to a case"
        DISCARDED = "discarded", "Discarded"

    raw_message = models.ForeignKey(RawMessage, on_delete=models.PROTECT, related_name="quarantine")
    received_at = models.DateTimeField()
    sender = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "quarantine"
        indexes = [
            # The quarantine page and GET /api/v1/mail/quarantine: held messages, newest first.
            models.Index(
                fields=["-received_at"],
                condition=models.Q(status="held"),
                name="quarantine_held_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.reason}"


class QuarantineAudit(models.Model):
    """Who did what with a quarantined message (retry, attach, discard); append-only."""

    quarantine = models.ForeignKey(Quarantine, on_delete=models.PROTECT, related_name="audit")
    action = models.CharField(max_length=10)
    actor = models.ForeignKey("auth.User", null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"


class ContactAttempt(models.Model):
    """One use of the web contact form, kept to limit floods per address and per IP."""

    email = models.CharField(max_length=320, blank=True)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["email", "at"], name="contact_email_idx"),
            models.Index(fields=["ip", "at"], name="contact_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email or self.ip} at {self.at:%Y-%m-%d %H:%M}"
