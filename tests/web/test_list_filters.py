"""My cases and the queue: filtered by category and realtime, solved and closed cases on
request, and each case's last activity; the filters cost no query per row."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.cases.models import Case
from relaydesk.timekeeping import now
from relaydesk.web import queries
from tests import factories
from tests.web.conftest import HTMX


def _local(moment) -> str:
    return moment.astimezone(ZoneInfo("Europe/Amsterdam")).isoformat()  # the company's zone


def _delivery(cast):
    return factories.make_category(slug="delivery", name="Delivery")


def _realtime(cast, subject="On the platform now"):
    cast.fran.staff.realtime_handler = True
    cast.fran.staff.save()
    return factories.make_case(
        category=cast.billing, acting=cast.fran, subject=subject, realtime_triggers=["travel_today"]
    )


def _solved(cast, subject="Refunded already"):
    case = factories.make_case(category=cast.billing, acting=cast.fran, subject=subject)
    return actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")


def test_the_queue_shows_one_category(signed_in, cast):
    billing = factories.make_case(category=cast.billing, acting=cast.fran, subject="A bill")
    parcel = factories.make_case(
        category=_delivery(cast), acting=cast.fran, subject="A parcel", details={}
    )
    html = signed_in(cast.eve).get("/queue/?category=delivery").text
    assert parcel.ref + "/" in html
    assert billing.ref + "/" not in html
    assert '<option value="delivery" selected>Delivery</option>' in html


def test_the_queue_shows_realtime_cases_only_or_none_of_them(signed_in, cast):
    plain = factories.make_case(category=cast.billing, acting=cast.fran, subject="Plain")
    realtime = _realtime(cast)
    client = signed_in(cast.eve)
    only = client.get("/queue/?realtime=yes").text
    assert realtime.ref + "/" in only and plain.ref + "/" not in only
    none = client.get("/queue/?realtime=no").text
    assert plain.ref + "/" in none and realtime.ref + "/" not in none


def test_the_queue_filters_combine_with_the_tier(signed_in, cast):
    at_frontline = _realtime(cast, subject="Frontline, realtime")
    passed = actions.pass_case(
        _realtime(cast, subject="Specialist, realtime"),
        acting=cast.fran,
        reason="needs_expertise",
        note="Over to you",
        to_user=cast.sam,
    )
    html = signed_in(cast.eve).get("/queue/?tier=specialist&realtime=yes").text
    assert passed.ref + "/" in html
    assert at_frontline.ref + "/" not in html


def test_an_unknown_category_is_a_404_and_odd_values_show_the_default(signed_in, cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    client = signed_in(cast.eve)
    assert client.get("/queue/?category=nothing").status_code == 404
    assert client.get("/?category=%00").status_code == 404
    html = client.get("/queue/?realtime=maybe&status=deleted").text
    assert case.ref + "/" in html


def test_the_queue_shows_each_cases_last_activity(signed_in, cast):
    start = now()
    with time_machine.travel(start - timedelta(hours=3), tick=False):
        case = factories.make_case(category=cast.billing, acting=cast.fran)
    with time_machine.travel(start - timedelta(minutes=20), tick=False):
        actions.add_note(case, acting=cast.fran, body="Called the customer")
    with time_machine.travel(start, tick=False):
        html = signed_in(cast.eve).get("/queue/").text
    assert 'data-label="Last activity"><time' in html
    assert ">20 min ago</time>" in html


def test_a_filter_change_with_htmx_swaps_only_the_list(signed_in, cast):
    parcel = factories.make_case(category=_delivery(cast), acting=cast.fran, details={})
    response = signed_in(cast.eve).get(
        "/queue/?category=delivery", headers={**HTMX, "HX-Target": "case-list"}
    )
    html = response.text
    assert html.strip().startswith('<div id="case-list">')
    assert "<html" not in html
    assert parcel.ref + "/" in html


def test_the_filter_form_works_without_script_and_the_pager_keeps_the_filters(signed_in, cast):
    for number in range(52):
        factories.make_case(category=cast.billing, acting=cast.fran, subject=f"Case {number}")
    html = signed_in(cast.eve).get("/queue/?category=billing&realtime=no").text
    assert '<form method="get" action="/queue/"' in html
    assert 'href="?category=billing&amp;realtime=no&amp;page=2"' in html


def test_my_cases_can_show_my_solved_cases_with_when(signed_in, cast):
    open_case = factories.make_case(category=cast.billing, acting=cast.fran, subject="Still open")
    solved = _solved(cast)
    html = signed_in(cast.fran).get("/?status=solved").text
    assert solved.ref + "/" in html
    assert open_case.ref + "/" not in html
    assert '<span class="tag solved" data-testid="state-tag">solved</span>' in html
    default = signed_in(cast.fran).get("/").text
    assert open_case.ref + "/" in default and solved.ref + "/" not in default


def test_closed_cases_show_when_they_closed(signed_in, cast):
    moment = now()
    with time_machine.travel(moment, tick=False):
        case = _solved(cast)
    with time_machine.travel(moment + timedelta(days=31), tick=False):
        actions.close(case, acting=None)
        mine = signed_in(cast.fran).get("/?status=closed").text
        queue = signed_in(cast.eve).get("/queue/?status=closed").text
    for html in (mine, queue):
        assert case.ref + "/" in html
        assert '<span class="tag closed" data-testid="state-tag">closed</span>' in html
        assert f'<time datetime="{_local(case.solved_at + timedelta(days=31))}">' in html
        assert f'datetime="{_local(case.solved_at)}"' not in html  # not the solve's time
    assert "Take" not in queue.split('id="queue"')[1]


def test_the_queue_can_show_solved_cases_at_my_tiers(signed_in, cast):
    solved = _solved(cast)
    open_case = factories.make_case(category=cast.billing, acting=cast.fran, subject="Open one")
    html = signed_in(cast.eve).get("/queue/?status=solved").text
    assert solved.ref + "/" in html
    assert open_case.ref + "/" not in html
    assert 'aria-label="Take' not in html


def test_solved_and_closed_lists_have_a_fixed_query_count(
    signed_in, cast, django_assert_max_num_queries
):
    moment = now()
    for number in range(30):
        with time_machine.travel(moment + timedelta(minutes=number), tick=False):
            case = _solved(cast, subject=f"Solved {number}")
            if number % 2:
                actions.close(case, acting=None)
    client = signed_in(cast.fran)
    for path in ("/?status=solved", "/?status=closed"):
        with django_assert_max_num_queries(8):  # as the open list: rows, counts, categories
            html = client.get(path).text
        assert html.count('data-testid="state-tag"') == 15
    client = signed_in(cast.eve)
    for path in ("/queue/?status=solved", "/queue/?status=closed&category=billing&realtime=no"):
        with django_assert_max_num_queries(
            13
        ):  # as the open queue (one per tier, then rows), and the category named
            html = client.get(path).text
        assert html.count('data-testid="state-tag"') == 15


@pytest.mark.parametrize(
    ("cases", "index"),
    [
        (lambda: Case.objects.filter(owner_id=7, status="solved"), "case_owner_finished_idx"),
        (lambda: Case.objects.filter(owner_id=7, status="closed"), "case_owner_finished_idx"),
        (lambda: Case.objects.filter(tier_id=2, status="solved"), "case_tier_finished_idx"),
        (lambda: Case.objects.filter(tier_id=2, status="closed"), "case_tier_finished_idx"),
    ],
    ids=["my solved", "my closed", "tier solved", "tier closed"],
)
@pytest.mark.sqlite  # PostgreSQL picks by its statistics, which a near-empty table lacks
def test_the_finished_lists_find_their_indexes(db, cases, index):
    plan = queries.finished(cases()).values_list("solved_at", "id")[:51].explain()
    assert index in plan


def test_the_queue_merges_tiers_latest_solve_first_and_pages(signed_in, cast):
    start = now()
    solved = []
    for number in range(56):
        with time_machine.travel(start + timedelta(minutes=number), tick=False):
            case = factories.make_case(category=cast.billing, acting=cast.fran)
            if number % 2:  # every other one is solved at the specialist tier
                case = actions.pass_case(
                    case, acting=cast.fran, reason="needs_expertise", note="n", to_user=cast.sam
                )
                case = actions.solve(case, acting=cast.sam, resolution="Done", one_off_reason="x")
            else:
                case = actions.solve(case, acting=cast.fran, resolution="Done", one_off_reason="x")
        solved.append(case.ref)
    latest_first = solved[::-1]
    client = signed_in(cast.eve)
    first = client.get("/queue/?status=solved").text
    positions = [first.index(f'id="row-{ref}"') for ref in latest_first[:50]]
    assert positions == sorted(positions)
    assert "Next page" in first
    second = client.get("/queue/?status=solved&page=2").text
    assert [ref for ref in latest_first if f'id="row-{ref}"' in second] == latest_first[50:]
