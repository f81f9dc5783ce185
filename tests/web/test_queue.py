"""The tier queue: open cases at my tier and below that I may take, with a one-click Take."""

from datetime import timedelta

import time_machine

from relaydesk.cases import actions
from relaydesk.cases.models import Case, EventKind
from relaydesk.timekeeping import now
from tests import factories
from tests.web.conftest import HTMX


def _at_specialist(cast, subject="Needs a specialist"):
    case = factories.make_case(category=cast.billing, acting=cast.fran, subject=subject)
    return actions.pass_case(
        case, acting=cast.fran, reason="needs_expertise", note="Over to you", to_user=cast.sam
    )


def test_the_queue_shows_cases_at_my_tier_and_below_that_are_not_mine(signed_in, cast):
    frontline_case = factories.make_case(category=cast.billing, acting=cast.fran)
    specialist_case = _at_specialist(cast)
    eves_own = factories.make_case(category=cast.billing, acting=cast.eve, subject="Eve's own")
    html = signed_in(cast.eve).get("/queue/").content.decode()
    assert frontline_case.ref + "/" in html
    assert specialist_case.ref + "/" in html
    assert eves_own.ref + "/" not in html


def test_frontline_does_not_see_cases_above_their_tier(signed_in, cast):
    frontline_case = factories.make_case(category=cast.billing, acting=cast.fran)
    specialist_case = _at_specialist(cast)
    html = signed_in(cast.fiona).get("/queue/").content.decode()
    assert frontline_case.ref + "/" in html
    assert specialist_case.ref + "/" not in html


def test_the_queue_can_show_one_tier(signed_in, cast):
    frontline_case = factories.make_case(category=cast.billing, acting=cast.fran)
    specialist_case = _at_specialist(cast)
    html = signed_in(cast.eve).get("/queue/?tier=specialist").content.decode()
    assert specialist_case.ref + "/" in html
    assert frontline_case.ref + "/" not in html


def test_a_tier_above_mine_is_not_a_queue_i_can_open(signed_in, cast):
    assert signed_in(cast.fran).get("/queue/?tier=executive").status_code == 404


def test_take_from_the_queue_with_htmx_swaps_the_row_to_taken(signed_in, cast):
    case = _at_specialist(cast)
    response = signed_in(cast.eve).post(f"/cases/{case.ref}/take/", {"from": "queue"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.strip().startswith(f'<tr id="row-{case.ref}">')
    assert "Taken" in html
    case.refresh_from_db()
    assert case.owner == cast.eve
    assert case.events.filter(kind=EventKind.TAKEN, actor=cast.eve).exists()


def test_a_refused_take_from_the_queue_shows_the_sentence_in_the_row(signed_in, cast):
    case = _at_specialist(cast)
    response = signed_in(cast.fiona).post(
        f"/cases/{case.ref}/take/", {"from": "queue"}, headers=HTMX
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "cannot take it from above" in html
    assert html.strip().startswith(f'<tr id="row-{case.ref}">')
    assert Case.objects.get(pk=case.pk).owner == cast.sam


def test_take_from_the_queue_without_script_goes_back_to_the_queue(signed_in, cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    client = signed_in(cast.fiona)
    response = client.post(f"/cases/{case.ref}/take/", {"from": "queue"})
    assert response.status_code == 302
    assert response["Location"] == "/queue/"
    assert f"{case.ref} is yours now." in client.get("/queue/").content.decode()
    case.refresh_from_db()
    assert case.owner == cast.fiona


def test_every_take_button_posts_with_csrf(signed_in, cast):
    factories.make_case(category=cast.billing, acting=cast.fran)
    html = signed_in(cast.fiona).get("/queue/").content.decode()
    assert html.count('name="csrfmiddlewaretoken"') >= 2  # the row's form and logout
    assert "X-CSRFToken" in html  # htmx requests carry it from <body hx-headers>


def test_the_queue_has_a_fixed_query_count(signed_in, cast, django_assert_max_num_queries):
    for i in range(30):
        customer = factories.make_customer(name=f"C{i}", email=f"q{i}@example.com")
        factories.make_case(category=cast.billing, acting=cast.fran, customer=customer)
    client = signed_in(cast.eve)
    # session, user, staff, their tier, company zone, header, tiers, one per tier (3 for Eve),
    # then the page's rows, and the categories of the filter
    with django_assert_max_num_queries(12):
        html = client.get("/queue/").content.decode()
    assert html.count("hx-post=") == 30


def test_the_queue_merges_tiers_most_urgent_first_and_pages(signed_in, cast):
    start = now()
    expected = []
    for i in range(56):
        with time_machine.travel(start + timedelta(minutes=i), tick=False):
            case = factories.make_case(category=cast.billing, acting=cast.fran)
            if i % 2:  # every other one goes to the specialist tier
                case = actions.pass_case(
                    case, acting=cast.fran, reason="needs_expertise", note="n", to_user=cast.sam
                )
        expected.append(case.ref)
    client = signed_in(cast.eve)
    first = client.get("/queue/").content.decode()
    positions = [first.index(f'id="row-{ref}"') for ref in expected[:50]]
    assert positions == sorted(positions)
    assert f'id="row-{expected[50]}"' not in first
    assert "Next page" in first
    second = client.get("/queue/?page=2").content.decode()
    assert [ref for ref in expected if f'id="row-{ref}"' in second] == expected[50:]


def test_ties_on_deadline_put_the_realtime_case_first_across_tiers(signed_in, cast):
    # The tiers' sort keys are merged in Python from the database's own values (SQLite's 0/1
    # for realtime, PostgreSQL's booleans): the realtime case must still come first.
    cast.fran.staff.realtime_handler = True
    cast.fran.staff.save()
    moment = now()
    with time_machine.travel(moment, tick=False):
        plain = _at_specialist(cast, subject="Plain")
    with time_machine.travel(moment + timedelta(hours=19), tick=False):
        realtime = factories.make_case(
            category=cast.billing, acting=cast.fran, realtime_triggers=["travel_today"]
        )
    assert realtime.deadline == plain.deadline and realtime.tier != plain.tier
    html = signed_in(cast.eve).get("/queue/").content.decode()
    assert html.index(f'id="row-{realtime.ref}"') < html.index(f'id="row-{plain.ref}"')
