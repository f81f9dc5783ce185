"""Earlier cases like this (issue 17 part 4): loaded after the case page, grouped by problem,
one click to link the case to a group's problem, and in the solve form to choose it."""

import pytest

from relaydesk.cases import actions
from relaydesk.cases.models import Case
from relaydesk.problems.models import Problem
from tests.web.conftest import HTMX

DOUBLE_DEBIT = [
    ("Direct debit taken twice", "My bank shows two direct debits from you this month."),
    ("Money taken two times", "You took my monthly direct debit twice from my bank account."),
    ("Charged twice by direct debit", "Two debits from my bank on the same day, same amount."),
]
WIFI = [
    ("Wifi on the train keeps dropping", "The onboard wifi drops every few minutes."),
    ("No wifi on the train", "Onboard wifi would not connect at all on my train this morning."),
]


def opened(cast, subject: str, message: str, number: int) -> Case:
    return actions.open_case(
        customer_name=f"Customer {number}",
        customer_email=f"customer{number}@example.com",
        category=cast.billing,
        subject=subject,
        details={"invoice": f"INV-{number}"},
        customer_message=message,
        channel="web",
        acting=cast.fran,
    )


@pytest.fixture
def history(cast):
    """Two direct debit cases linked to "Debit run twice", a wifi case with no problem, and
    a new direct debit case (the question), open and owned by fran."""
    first = opened(cast, *DOUBLE_DEBIT[0], number=1)
    first = actions.solve(
        first, acting=cast.fran, resolution="Refunded.", new_problem_title="Debit run twice"
    )
    second = opened(cast, *DOUBLE_DEBIT[1], number=2)
    actions.solve(second, acting=cast.fran, resolution="Refunded.", problem=first.problem)
    wifi = [opened(cast, *texts, number=10 + n) for n, texts in enumerate(WIFI)]
    question = opened(cast, *DOUBLE_DEBIT[2], number=3)
    return {"problem": first.problem, "linked": [first, second], "wifi": wifi, "q": question}


def test_the_case_page_loads_the_section_after_itself(signed_in, cast, history):
    html = signed_in(cast.fran).get(f"/cases/{history['q'].ref}/").content.decode()
    assert f'hx-get="/cases/{history["q"].ref}/similar/" hx-trigger="load" hx-target="this"' in html
    assert "similar-group" not in html  # the search runs when the section is asked for


def test_similar_cases_are_grouped_by_their_problem(signed_in, cast, history):
    question, problem = history["q"], history["problem"]
    html = signed_in(cast.fran).get(f"/cases/{question.ref}/similar/", headers=HTMX)
    html = html.content.decode()
    groups = html.split('data-testid="similar-group"')[1:]
    assert f'<a href="/problems/{problem.pk}/">Debit run twice</a>' in groups[0]
    for case in history["linked"]:
        assert f'<a href="/cases/{case.ref}/">{case.ref}</a>' in groups[0]
    assert f'name="problem_id" value="{problem.pk}"' in groups[0]
    assert f'hx-post="/cases/{question.ref}/link-problem/"' in groups[0]
    assert question.ref + "</a>" not in html  # never the case itself


def test_one_click_links_the_case_to_that_problem(signed_in, cast, history):
    question, problem = history["q"], history["problem"]
    client = signed_in(cast.fran)
    answer = client.post(
        f"/cases/{question.ref}/link-problem/", {"problem_id": problem.pk}, headers=HTMX
    )
    assert answer.status_code == 200
    assert "linked to “Debit run twice”" in answer.content.decode()
    question.refresh_from_db()
    assert question.problem_id == problem.pk
    again = client.get(f"/cases/{question.ref}/similar/", headers=HTMX).content.decode()
    assert f"{question.ref} is linked to this problem." in again
    assert f'name="problem_id" value="{problem.pk}"' not in again


def test_cases_without_a_problem_come_last_without_a_link_button(signed_in, cast, history):
    wifi = history["wifi"][1]
    html = signed_in(cast.fran).get(f"/cases/{wifi.ref}/similar/", headers=HTMX).content.decode()
    assert "Not linked to a problem yet" in html
    assert f'<a href="/cases/{history["wifi"][0].ref}/">' in html
    assert html.index("Not linked to a problem yet") > html.find("/problems/")


def test_a_case_like_no_other_says_so(signed_in, cast, history):
    alone = actions.open_case(
        customer_name="Zed Zorro",
        category=cast.billing,
        subject="Zebra crossing paint",
        details={"invoice": "QXZ"},
        customer_message="Quokka xylophone.",
        channel="phone",
        acting=cast.fran,
    )
    html = signed_in(cast.fran).get(f"/cases/{alone.ref}/similar/", headers=HTMX).content.decode()
    assert "No earlier case looks like this one." in html


def test_a_closed_case_shows_its_similar_cases_without_link_buttons(signed_in, cast, history):
    question = history["q"]
    actions.dismiss(question, acting=cast.fran, reason="test", note="A test case.")
    html = signed_in(cast.fran).get(f"/cases/{question.ref}/similar/", headers=HTMX)
    html = html.content.decode()
    assert "Debit run twice" in html and 'data-testid="similar-link"' not in html


def test_the_solve_form_offers_the_problems_and_picks_one(signed_in, cast, history):
    question, problem = history["q"], history["problem"]
    client = signed_in(cast.fran)
    page = client.get(f"/cases/{question.ref}/").content.decode()
    loader = f'hx-get="/cases/{question.ref}/similar/?in=solve" hx-trigger="toggle once from:'
    assert loader + 'closest details"' in page  # asked for when the Solve form is opened
    offered = client.get(f"/cases/{question.ref}/similar/?in=solve", headers=HTMX).content.decode()
    assert f'hx-vals=\'{{"pick": "{problem.pk}"}}\'' in offered
    assert "Not linked to a problem yet" not in offered

    picked = client.post(
        f"/cases/{question.ref}/similar/pick/",
        {"pick": problem.pk, "solve-resolution": "Refunded the second debit."},
        headers=HTMX,
    ).content.decode()
    assert 'value="problem" id="id_solve-second_fix_1" required checked' in picked
    assert f'<option value="{problem.pk}" selected>Debit run twice</option>' in picked
    assert "\nRefunded the second debit.</textarea>" in picked


def test_an_older_problem_picked_can_be_solved_with(signed_in, cast, history, monkeypatch):
    """The solve form lists the newest problems; one the similar cases offered is accepted
    even when it is older than all of them."""
    monkeypatch.setattr("relaydesk.web.views.similar.PROBLEM_CHOICES", 1)
    Problem.objects.create(title="Newer one", created_at=history["problem"].created_at)
    question, problem = history["q"], history["problem"]
    answer = signed_in(cast.fran).post(
        f"/cases/{question.ref}/solve/",
        {
            "solve-resolution": "Refunded.",
            "solve-second_fix": "problem",
            "solve-problem": problem.pk,
        },
        headers=HTMX,
    )
    assert answer.status_code == 200, answer.content.decode()
    question.refresh_from_db()
    assert question.problem_id == problem.pk and question.status == "solved"


def test_bad_input_is_a_404_never_a_500(signed_in, cast, history):
    client = signed_in(cast.fran)
    url = f"/cases/{history['q'].ref}/similar/pick/"
    assert client.post(url, {"pick": "x"}).status_code == 404
    assert client.post(url, {"pick": str(2**80)}).status_code == 404
    assert client.post(url, {"pick": "999999"}).status_code == 404
    assert client.get(url).status_code == 405
    assert client.get("/cases/RD-99999999/similar/").status_code == 404


def test_the_section_asks_a_bounded_number_of_queries(
    signed_in, cast, history, django_assert_max_num_queries
):
    client = signed_in(cast.fran)
    with django_assert_max_num_queries(SECTION_QUERIES):
        client.get(f"/cases/{history['q'].ref}/similar/", headers=HTMX)


# One search (`similar`, for the cases and the problems together): the request's five (the
# company, the session, the user, the staff row, the case), the search's own (the case's
# text, its terms' counts and the typos', the index's size, one posting list per telling term
# on SQLite, at most 24, the candidates' texts and rows), then the section's cases and
# problems: 22 here on SQLite, 19 on PostgreSQL; none per similar case shown.
SECTION_QUERIES = 40
