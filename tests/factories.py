"""Deterministic makers for tests: plain functions, no random data."""

from django.contrib.auth.models import User

from relaydesk.cases import actions
from relaydesk.cases.models import Case, Customer
from relaydesk.org.models import Category, Company, IntakeField, RealtimeTrigger, Staff, Tier
from relaydesk.timekeeping import now

TIERS = [
    ("frontline", "Frontline"),
    ("specialist", "Specialist"),
    ("expert", "Expert"),
    ("manager", "Manager"),
    ("executive", "Executive"),
]


def make_company(name="Acme Rail", time_zone="Europe/Amsterdam") -> Company:
    return Company.objects.create(name=name, time_zone=time_zone)


def make_tiers() -> dict[str, Tier]:
    return {
        slug: Tier.objects.create(slug=slug, name=name, rank=rank)
        for rank, (slug, name) in enumerate(TIERS)
    }


def make_staff(
    username: str,
    tier: Tier,
    *,
    name: str = "",
    lead: Staff | None = None,
    skills: list[Category] = (),
    on_duty: bool = True,
    realtime_handler: bool = False,
    password: str = "pw",
) -> Staff:
    first, _, last = (name or username.title()).partition(" ")
    user = User.objects.create_user(
        username=username,
        password=password,
        email=f"{username}@acme.example",
        first_name=first,
        last_name=last,
    )
    staff = Staff.objects.create(
        user=user, tier=tier, lead=lead, on_duty=on_duty, realtime_handler=realtime_handler
    )
    staff.skills.set(skills)
    return staff


def make_category(
    slug="billing",
    name="Billing",
    *,
    solve_window_minutes=20 * 60,
    tickle_after_minutes=4 * 60,
    fields=(),
    triggers=(),
) -> Category:
    category = Category.objects.create(
        slug=slug,
        name=name,
        solve_window_minutes=solve_window_minutes,
        tickle_after_minutes=tickle_after_minutes,
    )
    for position, field in enumerate(fields):
        IntakeField.objects.create(category=category, position=position, **field)
    for position, (key, question) in enumerate(triggers):
        RealtimeTrigger.objects.create(
            category=category, key=key, question=question, position=position
        )
    return category


def make_customer(name="Carla Mendes", email="carla@example.com", phone="") -> Customer:
    return Customer.objects.create(name=name, email=email, phone=phone, created_at=now())


def make_case(
    *,
    category: Category,
    acting: User | None = None,
    customer: Customer | None = None,
    subject="Charged twice for my season ticket",
    details=None,
    realtime_triggers=(),
    channel="phone",
) -> Case:
    return actions.open_case(
        customer=customer or make_customer(),
        category=category,
        subject=subject,
        details=details if details is not None else {"invoice": "INV-1"},
        channel=channel,
        realtime_triggers=realtime_triggers,
        acting=acting,
    )
