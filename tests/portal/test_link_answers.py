"""Wrong, rotated and expired status links get identical answers (rule 14): the same status,
the same page, the same headers, no cookie. A link expires when its case closes by itself, the
reopen window after the solve (the worker's closing step)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from relaydesk.cases import actions
from relaydesk.cases.models import Status
from relaydesk.clock.closing import handle_one_closing_batch
from tests import factories
from tests.portal.test_status_page import assert_status_headers, link_of

MONDAY_NINE = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def answer_to(path: str) -> tuple:
    response = Client().get(path)
    return response.status_code, response.content, dict(response.items()), dict(response.cookies)


@pytest.fixture
def links(cast):
    """A wrong link, a rotated one, one whose case closed by itself, and a live one."""
    with time_machine.travel(MONDAY_NINE, tick=False):
        rotated = factories.make_case(category=cast.billing, acting=cast.fran)
        expired = factories.make_case(category=cast.billing, acting=cast.fran, subject="Bike")
        live = factories.make_case(category=cast.billing, acting=cast.fran, subject="Seat")
        found = {"rotated": link_of(rotated), "expired": link_of(expired), "live": link_of(live)}
        actions.rotate_status_link(rotated, acting=cast.fran)
        actions.solve(expired, acting=cast.fran, resolution="Found it", one_off_reason="Once")
        actions.solve(live, acting=cast.fran, resolution="Moved you", one_off_reason="Once")
    with time_machine.travel(MONDAY_NINE + timedelta(days=30, minutes=1), tick=False):
        actions.reopen(live, acting=cast.fran, why="One more thing")  # so it stays open
        assert handle_one_closing_batch()
    expired.refresh_from_db()
    assert expired.status == Status.CLOSED
    return {**found, "wrong": "/status/" + "A" * 43}


def test_wrong_rotated_and_expired_links_are_answered_identically(links):
    answers = {name: answer_to(links[name]) for name in ("wrong", "rotated", "expired")}

    assert answers["wrong"][0] == 404
    assert answers["rotated"] == answers["wrong"]
    assert answers["expired"] == answers["wrong"]
    assert answers["wrong"][3] == {}  # no session is started for a link that does not work
    assert_status_headers(Client().get(links["wrong"]))


def test_malformed_links_get_the_same_answer(links):
    wrong = answer_to(links["wrong"])

    for path in ("/status/short", "/status/" + "é" * 30, "/status/" + "A" * 43 + "/"):
        assert answer_to(path) == wrong, path


def test_the_live_link_of_the_same_age_still_opens_its_case(links):
    assert Client().get(links["live"]).status_code == 302
