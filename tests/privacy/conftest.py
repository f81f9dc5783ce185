"""The roles rule 15 tells apart, on one case of Carla's that fran (frontline) owns.

- fran: the case's owner (whole);
- fiona: frontline, not the owner, leads nobody (masked);
- sam: specialist, not the owner, leads nobody (masked: a higher tier is not a ground);
- mia: manager, lead of fran, fiona, sam and eve (whole, as a lead);
- ed: executive, the top tier (whole);
- root: an admin (superuser) who works at the frontline and leads nobody (whole, as an admin;
  the API is for active staff, so the admin has a staff profile).
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from relaydesk.cases.models import Case, Customer
from tests import factories
from tests.api.conftest import api_as  # noqa: F401 - the API tests' fixture, shared here
from tests.e2e.conftest import (  # noqa: F401 - the browser tests' fixtures, shared here
    browser_context_args,
    browser_type_launch_args,
    sign_in,
)

EMAIL = "carla.mendes@example.com"
PHONE = "+31 20 123 4437"
MASKED_EMAIL = "c•••@example.com"
MASKED_PHONE = "+31 •• ••• 437"


@dataclass
class Scene:
    customer: Customer
    case: Case
    root: User


@pytest.fixture
def scene(cast) -> Scene:
    customer = factories.make_customer(name="Carla Mendes", email=EMAIL, phone=PHONE)
    case = factories.make_case(category=cast.billing, acting=cast.fran, customer=customer)
    root = factories.make_staff("root", cast.tiers["frontline"], name="Ruth Root").user
    User.objects.filter(pk=root.pk).update(is_superuser=True, is_staff=True)
    root.refresh_from_db()
    return Scene(customer, case, root)


@pytest.fixture
def role(cast, scene):
    """role(name) -> the user playing it."""

    def person(name: str) -> User:
        return scene.root if name == "admin" else getattr(cast, name)

    return person


# (role, ground or None): who sees Carla's details whole on her case, and why.
ROLES = [
    ("fran", "owner"),
    ("fiona", None),
    ("sam", None),
    ("mia", "lead"),
    ("ed", "executive"),
    ("admin", "admin"),
]
