"""The demo's people joined when its history begins: the career page's tier history starts
before their first case, not on the day the demo was built."""

import pytest
from django.db.models import Min

from relaydesk.cases.models import Case
from relaydesk.org.models import Staff, TierHistory
from relaydesk.setup.demo import build_demo

pytestmark = pytest.mark.django_db


def test_the_demos_people_start_their_tier_history_before_its_first_case():
    build_demo(cases=20, seed=7)

    first_opened = Case.objects.order_by("opened_at").values_list("opened_at", flat=True)[0]
    # Each person's first line (a promotion later in the history adds one: demo_trail).
    firsts = TierHistory.objects.values("staff").annotate(first=Min("since"))
    assert len(firsts) == Staff.objects.count()
    assert max(row["first"] for row in firsts) <= first_opened
