"""The status page's "what we did for you" (rule 13): the customer sees a gesture only once it
is given (at once, or approved), never one waiting for approval or declined, never its note."""

from decimal import Decimal

import pytest

from relaydesk.goodwill.actions import approve_goodwill, decline_goodwill, give_goodwill
from relaydesk.org.models import Tier
from tests import factories
from tests.portal.test_status_page import opened


@pytest.fixture
def case(cast):
    Tier.objects.filter(slug="frontline").update(goodwill_limit=Decimal(25))
    Tier.objects.filter(slug="manager").update(goodwill_limit=Decimal(500))
    return factories.make_case(category=cast.billing, acting=cast.fran)


def test_the_customer_sees_only_approved_gestures(client, cast, case):
    give_goodwill(case, acting=cast.fran, kind="gift", value=20, note="NOTE-FLOWERS")
    waiting = give_goodwill(case, acting=cast.fran, kind="refund", value=80, note="NOTE-REFUND")
    declined = give_goodwill(case, acting=cast.fran, kind="upgrade", value=90, note="NOTE-UP")
    decline_goodwill(declined, acting=cast.mia, why="DECLINE-WHY")

    html = opened(client, case).content.decode()

    assert "What we did for you" in html
    assert html.count("We gave you a gift of 20.00 EUR.") == 2  # the section and the timeline
    assert "refund" not in html and "upgrade" not in html
    for internal in ("NOTE-FLOWERS", "NOTE-REFUND", "NOTE-UP", "DECLINE-WHY"):
        assert internal not in html

    approve_goodwill(waiting, acting=cast.mia)
    html = client.get(f"/status/case/{case.ref}/").content.decode()
    assert "We gave you a refund of 80.00 EUR." in html


def test_without_a_gesture_there_is_no_section(client, case):
    assert "What we did for you" not in opened(client, case).content.decode()
