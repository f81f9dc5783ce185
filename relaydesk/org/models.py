"""The company's structure: tiers of the pyramid, staff, rotas, tier history, and the categories
of cases it handles with their intake fields and realtime triggers."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

DEFAULT_SOLVE_WINDOW_MINUTES = 20 * 60  # the 20-hour rule
DEFAULT_TICKLE_AFTER_MINUTES = 4 * 60


class Category(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    solve_window_minutes = models.PositiveIntegerField(default=DEFAULT_SOLVE_WINDOW_MINUTES)
    tickle_after_minutes = models.PositiveIntegerField(default=DEFAULT_TICKLE_AFTER_MINUTES)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    mail_address = models.EmailField(
        max_length=320,
        blank=True,
        help_text="Mail sent to this address (e.g. billing@acme.example) opens cases here.",
    )

    class Meta:
        db_table = "intake_category"  # the table kept its name when categories moved to org
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
        db_table = "intake_intakefield"
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
    # The question in the customer's words on /contact; empty: the staff question is shown.
    customer_question = models.CharField(max_length=300, blank=True, default="")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "intake_realtimetrigger"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "key"], name="trigger_key_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category.slug}.{self.key}"


DEFAULT_REASSURANCE = (
    "Thank you for telling us. This is a real problem and you deserve great service: "
    "I have written down everything you told me, and your case {ref} will be dealt with "
    "{promise}. You will get an email with a link where you can follow it."
)


DEFAULT_REOPEN_WITHIN_MINUTES = 30 * 24 * 60  # 30 days
DEFAULT_WAITING_GIVES_UP_MINUTES = 7 * 24 * 60  # 7 days


class Company(models.Model):
    """The one company this installation serves (a single row)."""

    name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, default="UTC")
    reassurance_script = models.TextField(default=DEFAULT_REASSURANCE, blank=True)
    # The From of every mail and the domain mailin accepts (relaydesk.org.addresses);
    # empty: RELAYDESK_FROM_EMAIL's default. The environment variable, when set, wins.
    support_email = models.EmailField(blank=True, default="")
    # A language tag ("en-GB"): how the staff pages write dates (relaydesk.org.dates).
    locale = models.CharField(max_length=35, blank=True, default="")
    # Rule 8: a solved case closes by itself once this has passed since its last solve
    # (relaydesk.clock.closing); until then the customer's word reopens it.
    reopen_within_minutes = models.PositiveIntegerField(
        default=DEFAULT_REOPEN_WITHIN_MINUTES,
        validators=[MinValueValidator(1)],
        help_text="A solved case closes by itself this many minutes after its last solve.",
    )
    # Rule 16: a case waiting this long for the customer's answer tickles its owner to decide.
    waiting_gives_up_minutes = models.PositiveIntegerField(
        default=DEFAULT_WAITING_GIVES_UP_MINUTES,
        validators=[MinValueValidator(1)],
        help_text="A case waiting this many minutes for the customer's answer reminds its owner.",
    )
    # Rule 13: goodwill is valued in this currency (ISO 4217), and the gestures approved in a
    # month (in the company's time zone; pending ones count too) may add up to the budget.
    # No budget: nothing limits the month (relaydesk.goodwill.budget).
    currency = models.CharField(max_length=3, default="EUR")
    goodwill_budget = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Goodwill per month, in the currency; empty: no monthly budget.",
    )

    class Meta:
        verbose_name_plural = "company"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Company | None":
        return cls.objects.order_by("id").first()


class CustomerWords(models.Model):
    """One text the customer reads, in the company's own words (relaydesk.org.customer_words
    names the texts, checks them and fills them); a text without a row reads our default."""

    name = models.SlugField(max_length=50, unique=True)
    text = models.TextField()

    class Meta:
        ordering = ["name"]
        verbose_name = "words the customer reads"
        verbose_name_plural = "words the customer reads"

    def __str__(self) -> str:
        return self.name


class Tier(models.Model):
    """A level of the pyramid; rank 0 is the frontline, the highest rank the executive tier."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField(unique=True)
    # Rule 13: a gesture up to this value stands without anyone's approval; the top tier
    # (the executives) has no limit, whatever is written here.
    goodwill_limit = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text="A goodwill gesture up to this value needs nobody's approval.",
    )

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_executive(self) -> bool:
        return not Tier.objects.filter(rank__gt=self.rank).exists()


class Staff(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="members")
    lead = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="team"
    )
    # No skills listed means the person covers every category (typical for leads and executives).
    skills = models.ManyToManyField(Category, blank=True, related_name="skilled_staff")
    on_duty = models.BooleanField(default=True)
    active = models.BooleanField(default=True)
    realtime_handler = models.BooleanField(
        default=False, help_text="Takes realtime-lane cases when on duty."
    )

    class Meta:
        verbose_name_plural = "staff"
        indexes = [models.Index(fields=["tier", "on_duty", "active"], name="staff_routing_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.username

    def covers(self, category: Category) -> bool:
        skills = list(self.skills.all())
        return not skills or category in skills


class TierHistory(models.Model):
    """One line of a person's career path: the tier they held from `since`."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="tier_history")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT)
    since = models.DateTimeField()

    class Meta:
        ordering = ["staff", "since"]
        verbose_name_plural = "tier history"

    def __str__(self) -> str:
        return f"{self.staff} at {self.tier} since {self.since:%Y-%m-%d}"


class ExecutiveRota(models.Model):
    """Who is the executive on duty, by date range (inclusive), in the company's time zone."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="rota_entries")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="rota_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.starts_on}…{self.ends_on}"


class WeeklyRotation(models.Model):
    """An ordered weekly rotation of executives, used on days no ExecutiveRota range covers.

    Week 0 starts on `starts_on`; week n goes to slot n modulo the number of slots (skipping
    people who are no longer active). A date-range rota entry always wins over the rotation.
    """

    starts_on = models.DateField(help_text="The first day of the first week of the rotation.")

    def __str__(self) -> str:
        return f"Weekly rotation from {self.starts_on}"


class WeeklyRotationSlot(models.Model):
    rotation = models.ForeignKey(WeeklyRotation, on_delete=models.CASCADE, related_name="slots")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="rotation_slots")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["rotation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["rotation", "position"], name="rotation_slot_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"week {self.position}: {self.staff}"
