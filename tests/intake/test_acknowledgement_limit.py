"""The acknowledgement limit per address and hour (recent_acknowledgements), with two customers
sharing one address and a sliding hour."""

from datetime import UTC, datetime, timedelta

import time_machine

from relaydesk.cases.acknowledgement import recent_acknowledgements
from relaydesk.cases.models import EventKind
from tests.factories import make_case, make_customer

NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _acknowledged(case) -> bool:
    kinds = set(case.events.values_list("kind", flat=True))
    assert (EventKind.ACKNOWLEDGED in kinds) != (EventKind.WARNING in kinds)
    return EventKind.ACKNOWLEDGED in kinds


def test_two_customers_with_one_address_share_the_limit_for_an_hour(cast, settings):
    settings.MAIL_ACKS_PER_SENDER_PER_HOUR = 3
    carla = make_customer("Carla", email="carla@example.com")
    carlos = make_customer("Carlos", email="carla@example.com")  # a second row, same address
    other = make_customer("Dora", email="dora@example.com")

    opened = []
    for minute, customer in [(0, carla), (10, carlos), (20, carla), (30, carlos), (31, other)]:
        with time_machine.travel(NINE + timedelta(minutes=minute), tick=False):
            opened.append(_acknowledged(make_case(category=cast.billing, customer=customer)))
    assert opened == [True, True, True, False, True]

    with time_machine.travel(NINE + timedelta(minutes=59), tick=False):
        assert recent_acknowledgements(" Carla@Example.COM ") == 3
    with time_machine.travel(NINE + timedelta(minutes=60, microseconds=1), tick=False):
        assert recent_acknowledgements("carla@example.com") == 2  # 9:00's has left the hour
        assert _acknowledged(make_case(category=cast.billing, customer=carlos))
        assert recent_acknowledgements("carla@example.com") == 3
        assert recent_acknowledgements("dora@example.com") == 1
