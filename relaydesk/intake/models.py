"""What the company handles: categories, their intake fields and realtime triggers."""

from django.db import models

from relaydesk.clock.deadlines import DEFAULT_SOLVE_WINDOW_MINUTES, DEFAULT_TICKLE_AFTER_MINUTES


class Category(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    solve_window_minutes = models.PositiveIntegerField(default=DEFAULT_SOLVE_WINDOW_MINUTES)
    tickle_after_minutes = models.PositiveIntegerField(default=DEFAULT_TICKLE_AFTER_MINUTES)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class FieldType(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    CHOICE = "choice", "Choice"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    FILE = "file", "File"


class IntakeField(models.Model):
    """One fact the frontline gathers for a category (domain rule 2: required ones block a pass)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(max_length=50)
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    type = models.CharField(max_length=20, choices=FieldType.choices, default=FieldType.SHORT_TEXT)
    required = models.BooleanField(default=False)
    choices = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "key"], name="intake_field_key_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category.slug}.{self.key}"


class RealtimeTrigger(models.Model):
    """A yes/no question; any yes puts the case in the one-hour realtime lane."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="realtime_triggers"
    )
    key = models.SlugField(max_length=50)
    question = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "key"], name="trigger_key_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category.slug}.{self.key}"
