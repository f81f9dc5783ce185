"""The goodwill ledger (rule 13): what we gave customers, case by case.

Only relaydesk.goodwill.actions writes Gesture rows; each change also appends a `goodwill`
event to the case, so the case's history (and the trail computed from it) is complete.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from relaydesk.cases.models import Case
from relaydesk.org.models import Tier


class Kind(models.TextChoices):
    CREDIT = "credit", "Credit"
    REFUND = "refund", "Refund"
    GIFT = "gift", "Gift"
    UPGRADE = "upgrade", "Upgrade"
    OTHER = "other", "Other"


class State(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    GIVEN = "given", "Given"
    DECLINED = "declined", "Declined"


class Gesture(models.Model):
    """One gesture to a customer. Given within the giver's limit (and the budget) it stands at
    once (`decided_by` is the giver); above it, it waits for someone whose limit covers the
    value (an executive when it would go over the month's budget) to approve or decline it.

    It counts in the month of `decided_at` once given; while pending it counts against the
    current month's budget. The customer sees only given gestures.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="gestures")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)  # the company's when given
    note = models.TextField()
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    given_by_tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices)
    # Why it waits: above the giver's limit, and whether it would go over the month's budget
    # (then only an executive may approve it).
    over_budget = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    why_declined = models.TextField(blank=True)

    class Meta:
        ordering = ["given_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="gesture_value_positive"),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(decided_at__isnull=False),
                name="gesture_decided_has_time",
            ),
        ]
        indexes = [
            # A month's gestures (the goodwill page, the API, the trail): given ones by the
            # moment they were approved.
            models.Index(fields=["state", "decided_at"], name="gesture_month_idx"),
            # What waits for approval (the goodwill page, the budget left).
            models.Index(
                fields=["given_at"], condition=Q(state="pending"), name="gesture_pending_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} {self.currency} on case {self.case_id}"

    @property
    def is_pending(self) -> bool:
        return self.state == State.PENDING
