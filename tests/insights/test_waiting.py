"""Time waiting for customers across a month's edges: each wait counts for its part inside
the month, credited to the person who asked (DESIGN rule 16)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from relaydesk.cases import actions
from relaydesk.insights.months import parse_month
from relaydesk.insights.waiting import waiting_seconds
from tests import factories

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HOUR = 3600


def local(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=AMSTERDAM)


@pytest.mark.django_db
def test_waits_over_a_months_edges_count_their_part_inside_it(cast, time_machine):
    def at(moment: datetime) -> None:
        time_machine.move_to(moment, tick=False)

    at(local(10, 30, 9))
    across = factories.make_case(category=cast.billing, acting=cast.fran)
    at(local(10, 31, 22))
    actions.reply(across, acting=cast.fran, body="Which card did you use?", waiting=True)
    at(local(11, 2, 10))  # answered: 2 h in October, 34 h in November
    actions.customer_wrote(across, body="The Visa.", via="status page")

    at(local(11, 20, 9))
    going = factories.make_case(category=cast.billing, acting=cast.sam)
    at(local(11, 20, 10))
    actions.reply(going, acting=cast.sam, body="Send us the receipt, please.", waiting=True)

    at(local(12, 1, 10))  # still waiting: 10 days 14 h of November, 10 h of December so far
    october = waiting_seconds(parse_month("2026-10", "Europe/Amsterdam"))
    november = waiting_seconds(parse_month("2026-11", "Europe/Amsterdam"))
    december = waiting_seconds(parse_month("2026-12", "Europe/Amsterdam"))

    assert october == {cast.fran.pk: 2 * HOUR}
    assert november == {cast.fran.pk: 34 * HOUR, cast.sam.pk: (10 * 24 + 14) * HOUR}
    assert december == {cast.sam.pk: 10 * HOUR}
