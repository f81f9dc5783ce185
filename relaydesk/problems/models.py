"""Root causes shared by cases: the second fix, its owner and its own history."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from relaydesk.org.append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet


class ProblemStatus(models.TextChoices):
    OPEN = "open", "Open"
    BEING_FIXED = "being_fixed", "Being fixed"
    FIXED = "fixed", "Fixed"


class Problem(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    # The one staff member who makes the permanent fix (not the owner of any case).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems_to_fix",
    )
    fixed_at = models.DateTimeField(null=True, blank=True)
    fixed_note = models.TextField(blank=True)
    # Set when a case is linked while the problem is marked fixed (a regression); cleared when
    # the problem is handled: reopened or marked fixed again. The problems page flags it.
    came_back_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # The solve form lists problems by this: picking a fixed one means it came back.
        return f"{self.title} (fixed)" if self.status == ProblemStatus.FIXED else self.title

    @property
    def came_back(self) -> bool:
        return self.came_back_at is not None


class ProblemEventKind(models.TextChoices):
    OPENED = "opened", "Opened"
    OWNER_SET = "owner_set", "Fix owner set"
    FIXED = "fixed", "Marked fixed"
    REOPENED = "reopened", "Reopened"
    CAME_BACK = "came_back", "Came back"
    CASE_LINKED = "case_linked", "Case linked"


class ProblemEventError(AppendOnlyError):
    pass


class ProblemEventQuerySet(AppendOnlyQuerySet):
    refusal = ProblemEventError
    rows = "Problem events"


class ProblemEvent(AppendOnlyModel):
    """One immutable line of a problem's history. Actor None means the system."""

    refusal = ProblemEventError
    rows = "Problem events"

    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    kind = models.CharField(max_length=20, choices=ProblemEventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # owner_set: the new fix owner (None: nobody now); case_linked and came_back: the case.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    body = models.TextField(blank=True)  # the fixed note, the reopen's why

    objects = ProblemEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["problem", "at"], name="problem_event_time_idx"),
            # The problems page ranks by links in the last 30 days and draws their weekly trend
            # (problems.queries.with_recent_cases, weekly_links): each problem's range of its
            # links, read from the index alone.
            # `kind` is in it too, though the condition fixes it: SQLite reads an index alone
            # only when it holds every column the query names.
            models.Index(
                fields=["problem", "at", "kind"],
                condition=Q(kind="case_linked"),
                name="problem_event_links_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"
