"""Outgoing mail, written in the same transaction as the event that causes it."""

from django.db import models
from django.db.models import Q


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed for good"

    message_id = models.CharField(max_length=255, unique=True)
    to = models.CharField(max_length=320)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    # Files sent with the mail: [{"path", "name", "content_type"}], `path` relative to
    # MEDIA_ROOT (where relaydesk.cases.uploads keeps them). The outbox knows only files, not
    # the case's Attachment rows: base code reads no domain model.
    attachments = models.JSONField(default=list, blank=True)
    automatic = models.BooleanField(default=False, help_text="Sent with Auto-Submitted (RFC 3834).")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL)
    # Never looked up by event (events are never deleted), so no index to write for it.
    event = models.ForeignKey(
        "cases.Event", null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            # relaydesk.outbox.sending claims due mail by this index.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="queued"),
                name="outbox_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
