"""The delighted page: every rating of 5 with what delighted the customer, the case and who
solved it; the low ratings with what we should fix."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from tests.insights.scripted import script_october

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


@pytest.fixture
def october(cast, time_machine):
    cache.clear()
    scripted = script_october(cast, time_machine)
    time_machine.move_to(NOW, tick=False)
    return scripted


def test_octobers_delighted_customer_and_low_rating(october, cast, signed_in):
    html = signed_in(cast.mia).get("/trail/2026-10/delighted/").content.decode()

    delighted = html.split('data-testid="delighted"', 1)[1].split("</ul>", 1)[0]
    assert "Fiona sorted it before breakfast." in delighted
    assert f'href="/cases/{october.cases["E"].ref}/"' in delighted
    assert 'solved by <a href="/people/fiona/">Fiona Front</a>' in delighted
    low = html.split('data-testid="low-ratings"', 1)[1].split("</ul>", 1)[0]
    assert "Still charged twice." in low and "Rated 1" in low
    assert f'href="/cases/{october.cases["G"].ref}/"' in low
    assert "Fran Okafor" in low  # G was Fran's solve when it was rated


def test_a_month_without_answers_says_so(october, cast, signed_in):
    html = signed_in(cast.ed).get("/trail/2026-09/delighted/").content.decode()

    assert "No customer rated 5 in 2026-09." in html
    assert "No low rating in 2026-09." in html


def test_the_delighted_page_makes_a_fixed_number_of_queries(
    october, cast, signed_in, django_assert_max_num_queries
):
    client = signed_in(cast.mia)
    # Session, person, lead, zone (2), the answers with their cases and solvers, executive,
    # header.
    with django_assert_max_num_queries(9):
        assert client.get("/trail/2026-10/delighted/").status_code == 200
