"""My cases: the cases I own, most urgent first, with time left, last activity and customer."""

from datetime import timedelta

import time_machine

from relaydesk.cases import actions
from relaydesk.timekeeping import now
from tests import factories


def test_my_cases_lists_only_my_open_cases(signed_in, cast):
    mine = factories.make_case(category=cast.billing, acting=cast.fran, subject="Mine, open")
    solved = factories.make_case(category=cast.billing, acting=cast.fran, subject="Mine, solved")
    actions.solve(solved, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")
    factories.make_case(category=cast.billing, acting=cast.fiona, subject="Fiona's")
    html = signed_in(cast.fran).get("/").content.decode()
    assert mine.ref in html
    assert "Mine, solved" not in html
    assert "Fiona&#x27;s" not in html and "Fiona's" not in html


def _fran_handles_realtime(cast):
    cast.fran.staff.realtime_handler = True
    cast.fran.staff.save()


def test_most_urgent_first_deadline_then_realtime(signed_in, cast):
    _fran_handles_realtime(cast)
    start = now()
    with time_machine.travel(start, tick=False):
        later = factories.make_case(category=cast.billing, acting=cast.fran, subject="Later")
    with time_machine.travel(start - timedelta(hours=2), tick=False):
        sooner = factories.make_case(category=cast.billing, acting=cast.fran, subject="Sooner")
    with time_machine.travel(start + timedelta(hours=18, minutes=30), tick=False):
        # opened 18.5 h later in the 1-hour lane: due at 19.5 h, between the other two
        realtime = factories.make_case(
            category=cast.billing,
            acting=cast.fran,
            subject="Realtime",
            realtime_triggers=["travel_today"],
        )
    with time_machine.travel(start + timedelta(hours=19), tick=False):
        html = signed_in(cast.fran).get("/").content.decode()
    order = [html.index(case.ref + "/") for case in (sooner, realtime, later)]
    assert order == sorted(order)
    assert "realtime</span>" in html


def test_ties_on_deadline_put_the_realtime_case_first(signed_in, cast):
    _fran_handles_realtime(cast)
    moment = now()
    with time_machine.travel(moment, tick=False):
        plain = factories.make_case(category=cast.billing, acting=cast.fran, subject="Plain")
    with time_machine.travel(moment + timedelta(hours=19), tick=False):
        rt = factories.make_case(
            category=cast.billing, acting=cast.fran, realtime_triggers=["travel_today"]
        )
    assert rt.deadline == plain.deadline
    html = signed_in(cast.fran).get("/").content.decode()
    assert html.index(rt.ref + "/") < html.index(plain.ref + "/")


def test_my_cases_shows_time_left_last_activity_and_customer(signed_in, cast):
    customer = factories.make_customer(name="Dana Ruiz", email="dana@example.com")
    moment = now()
    with time_machine.travel(moment, tick=False):
        factories.make_case(category=cast.billing, acting=cast.fran, customer=customer)
    with time_machine.travel(moment + timedelta(hours=2), tick=False):
        html = signed_in(cast.fran).get("/").content.decode()
    assert "Dana Ruiz" in html
    assert "18 h left" in html
    assert "2 h ago" in html


def test_the_header_counts_open_overdue_and_due_soon(signed_in, cast):
    moment = now()
    with time_machine.travel(moment - timedelta(hours=21), tick=False):
        factories.make_case(category=cast.billing, acting=cast.fran)  # overdue by an hour
    with time_machine.travel(moment - timedelta(hours=17), tick=False):
        factories.make_case(category=cast.billing, acting=cast.fran)  # due in 3 hours
    with time_machine.travel(moment, tick=False):
        factories.make_case(category=cast.billing, acting=cast.fran)  # due in 20 hours
        html = signed_in(cast.fran).get("/").content.decode()
    assert 'data-testid="count-open">3<' in html
    assert 'data-testid="count-overdue">1<' in html
    assert 'data-testid="count-soon">1<' in html
    assert "overdue" in html


def test_my_cases_has_a_fixed_query_count_and_pages(signed_in, cast, django_assert_max_num_queries):
    customers = [factories.make_customer(name=f"C{i}", email=f"c{i}@example.com") for i in range(3)]
    for i in range(55):
        factories.make_case(category=cast.billing, acting=cast.fran, customer=customers[i % 3])
    client = signed_in(cast.fran)
    with django_assert_max_num_queries(8):  # the filter's categories too
        first = client.get("/").content.decode()
    assert first.count('class="ref"') == 50
    assert "Next page" in first
    second = client.get("/?page=2").content.decode()
    assert second.count('class="ref"') == 5
    assert "Previous page" in second


def test_a_nonsense_page_number_shows_the_first_page(signed_in, cast):
    factories.make_case(category=cast.billing, acting=cast.fran)
    assert signed_in(cast.fran).get("/?page=abc").status_code == 200
