"""The case page of a case handed on because its owner left (relaydesk.cases.leaving)."""

import pytest
from django.contrib.auth.models import User

from relaydesk.cases.leaving import leave
from tests import factories


@pytest.fixture
def admin(db) -> User:
    return User.objects.create_superuser("root", "root@acme.example", "pw")


def test_the_timeline_says_who_left_and_who_has_the_case_now(signed_in, cast, admin):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    leave(cast.fran.staff, acting=admin)

    html = signed_in(cast.fiona).get(f"/cases/{case.ref}/").content.decode()

    assert "Fran Okafor left; the system passed it to Fiona Front (Frontline): Shift change" in html
    assert f"Fran Okafor has left; {case.ref} passes to Fiona Front (Frontline)." in html
    assert 'data-testid="case-owner">Fiona Front<' in html
