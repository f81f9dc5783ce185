"""The problems pages: the ranking with its trend, status, fix owner and "came back" flag;
one problem's story; the forms that steer a problem, and who may use them."""

from datetime import UTC, datetime, timedelta

import time_machine

from relaydesk.cases import actions
from relaydesk.cases.models import SurveyAnswer
from relaydesk.problems import actions as problems
from relaydesk.problems.models import Problem
from tests.factories import make_case
from tests.problems.helpers import make_problem, solved_with

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def rows_in_order(html: str, titles: list[str]) -> list[str]:
    return sorted(titles, key=html.index)


def test_problems_are_ranked_by_cases_in_the_last_30_days(signed_in, cast):
    with time_machine.travel(MONDAY_NINE - timedelta(days=50), tick=False):
        old = make_problem(cast.mia, "Old favourite")
        for n in range(4):  # many cases, but all long ago
            solved_with(old, category=cast.billing, owner=cast.fran, n=n)
    with time_machine.travel(MONDAY_NINE - timedelta(days=3), tick=False):
        busy, quiet = make_problem(cast.mia, "Busy one"), make_problem(cast.mia, "Quiet one")
        for n in range(10, 12):
            solved_with(busy, category=cast.billing, owner=cast.fran, n=n)
        solved_with(quiet, category=cast.billing, owner=cast.fran, n=20)
    with time_machine.travel(MONDAY_NINE, tick=False):
        html = signed_in(cast.fran).get("/problems/").content.decode()

    assert rows_in_order(html, ["Quiet one", "Old favourite", "Busy one"]) == [
        "Busy one",
        "Quiet one",
        "Old favourite",
    ]
    assert html.count('<svg class="sparkline"') == 3
    # the busy one's trend: two cases in the last of the 12 weeks; the old one's four 50 days
    # ago, in the week 49 to 56 days back (the fifth of the twelve)
    assert "cases per week, oldest first: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2" in html
    assert "cases per week, oldest first: 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0" in html
    assert '<a href="/problems/">All</a>' not in html  # "All" is the current filter


def test_the_list_shows_status_fix_owner_time_since_fixed_and_came_back(signed_in, cast):
    problem = make_problem(cast.mia)
    problems.set_problem_owner(problem, acting=cast.mia, owner=cast.eve)
    with time_machine.travel(MONDAY_NINE, tick=False):
        problems.mark_fixed(problem, acting=cast.eve, note="New reader.")
    with time_machine.travel(MONDAY_NINE + timedelta(days=2), tick=False):
        client = signed_in(cast.fran)
        before = client.get("/problems/").content.decode()
        solved_with(problem, category=cast.billing, owner=cast.fran)
        after = client.get("/problems/").content.decode()
        problems.mark_fixed(problem, acting=cast.eve, note="New machine.")
        handled = client.get("/problems/").content.decode()

    assert "came back</span>" not in before
    assert "Eve Expert" in before and "2 d ago" in before and "Fixed</span>" in before
    assert "came back</span>" in after
    assert "came back</span>" not in handled
    assert "just now" in handled  # fixed again, just now


def test_the_list_filters_by_status(signed_in, cast):
    make_problem(cast.mia, "Printer jams")
    problems.mark_fixed(make_problem(cast.mia, "Double charges"), acting=cast.mia, note="Done.")
    html = signed_in(cast.fran).get("/problems/?status=fixed").content.decode()
    assert "Double charges" in html and "Printer jams" not in html


def test_the_problems_page_takes_a_fixed_number_of_queries(
    signed_in, cast, django_assert_max_num_queries
):
    for n in range(8):
        problem = make_problem(cast.mia, f"Problem {n}")
        problems.set_problem_owner(problem, acting=cast.mia, owner=cast.eve)
        solved_with(problem, category=cast.billing, owner=cast.fran, n=n)
    client = signed_in(cast.fran)
    # the signed-in person, the company's zone and the header (5), the ranked problems with
    # their recent cases (1) and all their trends (1): the same for 8 problems or 80
    with django_assert_max_num_queries(7):
        html = client.get("/problems/").content.decode()
    assert html.count('<svg class="sparkline"') == 8


def test_any_staff_member_opens_a_problem_from_the_page(signed_in, cast):
    client = signed_in(cast.fran)
    response = client.post("/problems/", {"title": "Printer jams", "description": "Station 4"})
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/problems/{problem.pk}/"
    refused = client.post("/problems/", {"title": ""})
    assert refused.status_code == 422
    assert "This field is required." in refused.content.decode()


def test_a_problem_page_tells_its_story(signed_in, cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        problem = make_problem(cast.mia)
        before = solved_with(problem, category=cast.billing, owner=cast.fran, n=1)
        actions.answer_survey(before, rating=3, delighted="", fix="Stop charging me twice!")
    with time_machine.travel(MONDAY_NINE + timedelta(days=1), tick=False):
        problems.mark_fixed(problem, acting=cast.mia, note="Replaced the card reader.")
    with time_machine.travel(MONDAY_NINE + timedelta(days=2), tick=False):
        after = make_case(category=cast.billing, acting=cast.fran)
        actions.customer_wrote(after, body="It happened AGAIN on my card.")
        actions.link_case_to_problem(after, problem, acting=cast.fran)
        html = signed_in(cast.sam).get(f"/problems/{problem.pk}/").content.decode()

    assert before.ref in html and after.ref in html
    assert "Before the fix: <strong>1</strong>" in html
    assert "After the fix: <strong>1</strong>" in html
    assert "Stop charging me twice!" in html
    assert "It happened AGAIN on my card." in html
    assert "Replaced the card reader." in html  # the fix's note, and the timeline's line
    assert "Came back" in html and "Marked fixed" in html and "Opened" in html
    assert "came back 0 min ago" not in html
    assert 'data-testid="came-back"' in html
    assert "/fixed/" not in html  # Sam may not steer: no forms
    assert SurveyAnswer.objects.count() == 1


def test_the_problem_page_takes_a_fixed_number_of_queries(
    signed_in, cast, django_assert_max_num_queries
):
    problem = make_problem(cast.mia)
    for n in range(6):
        case = solved_with(problem, category=cast.billing, owner=cast.fran, n=n)
        actions.answer_survey(case, rating=3, delighted="", fix=f"Fix number {n}")
    client = signed_in(cast.mia)
    # the signed-in person, zone and header, the problem, who may own a fix, may-steer, and the
    # story: the last fix, the counts, the linked cases, the timeline, survey answers, words
    with django_assert_max_num_queries(14):
        html = client.get(f"/problems/{problem.pk}/").content.decode()
    assert html.count("Fix number") == 6


def test_a_lead_steers_the_problem_with_the_forms(signed_in, cast):
    problem = make_problem(cast.fran)
    client = signed_in(cast.mia)
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert f'action="/problems/{problem.pk}/owner/"' in page
    assert client.post(f"/problems/{problem.pk}/owner/", {"owner": "eve"}).status_code == 302
    done = client.post(f"/problems/{problem.pk}/fixed/", {"note": "New reader."}, follow=True)
    assert "Marked fixed." in done.content.decode()
    problem.refresh_from_db()
    assert (problem.owner, problem.status, problem.fixed_note) == (cast.eve, "fixed", "New reader.")
    again = client.post(f"/problems/{problem.pk}/reopen/", {"why": "Broke again."})
    assert again.status_code == 302
    problem.refresh_from_db()
    assert problem.status == "being_fixed"


def test_bad_or_forbidden_forms_are_answered_with_the_reason(signed_in, cast):
    problem = make_problem(cast.mia)
    lead = signed_in(cast.mia)
    empty = lead.post(f"/problems/{problem.pk}/fixed/", {"note": ""})
    assert empty.status_code == 422 and "This field is required." in empty.content.decode()
    unknown = lead.post(f"/problems/{problem.pk}/owner/", {"owner": "nobody"})
    assert unknown.status_code == 422
    not_fixed = lead.post(f"/problems/{problem.pk}/reopen/", {"why": "Broke."})
    assert not_fixed.status_code == 409 and "is not marked fixed" in not_fixed.content.decode()
    assert lead.post("/problems/99999999999999999999999/fixed/", {"note": "x"}).status_code == 404
    lead.logout()
    frontline = signed_in(cast.fran)
    refused = frontline.post(f"/problems/{problem.pk}/fixed/", {"note": "Done."})
    assert refused.status_code == 403 and "Only leads, executives" in refused.content.decode()
    problem.refresh_from_db()
    assert problem.status == "open"


def test_the_fix_owner_may_mark_fixed(signed_in, cast):
    problem = make_problem(cast.mia)
    problems.set_problem_owner(problem, acting=cast.mia, owner=cast.fran)
    client = signed_in(cast.fran)
    assert (
        f'action="/problems/{problem.pk}/fixed/"'
        in client.get(f"/problems/{problem.pk}/").content.decode()
    )
    assert client.post(f"/problems/{problem.pk}/fixed/", {"note": "Done."}).status_code == 302


def test_one_click_links_a_case_to_a_problem(signed_in, cast):
    problem = make_problem(cast.mia)
    case = make_case(category=cast.billing, acting=cast.fran)
    client = signed_in(cast.fran)
    response = client.post(f"/cases/{case.ref}/link-problem/", {"problem_id": problem.pk})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.ref}/"
    case.refresh_from_db()
    assert case.problem == problem
    twice = client.post(f"/cases/{case.ref}/link-problem/", {"problem_id": problem.pk})
    assert twice.status_code == 409 and "already linked" in twice.content.decode()
    assert client.post(f"/cases/{case.ref}/link-problem/", {"problem_id": "x"}).status_code == 404


def test_the_header_links_to_the_problems_page(signed_in, cast):
    html = signed_in(cast.fran).get("/problems/").content.decode()
    assert '<a href="/problems/" aria-current="page">Problems</a>' in html


def test_the_solve_form_offers_fixed_problems_and_solving_with_one_is_a_regression(signed_in, cast):
    problem = make_problem(cast.mia, "Retry double charge")
    problems.mark_fixed(problem, acting=cast.mia, note="Retries are idempotent now.")
    case = make_case(category=cast.billing, acting=cast.fran)
    client = signed_in(cast.fran)
    assert "Retry double charge (fixed)" in client.get(f"/cases/{case.ref}/").content.decode()
    client.post(
        f"/cases/{case.ref}/solve/",
        {
            "solve-resolution": "Refunded",
            "solve-second_fix": "problem",
            "solve-problem": problem.pk,
        },
    )
    problem.refresh_from_db()
    assert problem.came_back
    assert "came back</span>" in client.get("/problems/").content.decode()
