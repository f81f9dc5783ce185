"""The phrase library: ready sentences for awkward moments, and who used which, when."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Principle(models.TextChoices):
    """The moment a phrase is for; the tone check suggests a phrase by its principle."""

    TAKE_THE_BLAME = "take_the_blame", "Take the blame"
    BLOW_OUT_THE_DUST = "blow_out_the_dust", "Blow out the dust"
    APOLOGISE = "apologise", "Apologise"
    PROMISE_WITH_A_TIME = "promise_with_a_time", "Promise with a time"
    SAY_NO_KINDLY = "say_no_kindly", "Say no kindly"
    NOT_YET_KNOWN = "not_yet_known", "Not yet known"
    MAKE_A_FAN = "make_a_fan", "Make a fan"


class Phrase(models.Model):
    """A ready sentence. No owner: the company's, for everyone; an owner: theirs alone."""

    title = models.CharField(max_length=120)
    text = models.TextField(max_length=2000)
    principle = models.CharField(max_length=30, choices=Principle.choices)
    # Lower-case words separated by ", " (see phrases.tag_text); searched like the title.
    tags = models.CharField(max_length=300, blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phrases",
        help_text="Empty: a company-wide phrase everyone sees. Set: a personal phrase.",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            # The company file matches company-wide phrases by title.
            models.UniqueConstraint(
                fields=["title"], condition=Q(owner__isnull=True), name="phrase_company_title"
            )
        ]
        indexes = [models.Index(fields=["owner", "principle"], name="phrase_owner_principle_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_personal(self) -> bool:
        return self.owner_id is not None

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(", ") if tag]


class PhraseUse(models.Model):
    """A phrase put into a reply that was sent: one row per phrase per reply.

    The principle is copied so that the trail still counts a use after its phrase is deleted.
    """

    phrase = models.ForeignKey(
        Phrase, null=True, blank=True, on_delete=models.SET_NULL, related_name="uses"
    )
    principle = models.CharField(max_length=30, choices=Principle.choices)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="phrase_uses"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="phrase_uses"
    )
    used_at = models.DateTimeField()

    class Meta:
        ordering = ["-used_at", "-id"]
        indexes = [
            # The trail counts uses per person per month.
            models.Index(fields=["used_by", "used_at"], name="phraseuse_person_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.principle} by {self.used_by_id} at {self.used_at:%Y-%m-%d %H:%M}"
