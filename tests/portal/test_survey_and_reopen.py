"""The survey (rule 12) and "I'm not happy: reopen" (rule 8) on the status page of a solved case.

The customer's browser is the test client; a mail scanner is a client that GETs every link.
Only a submitted form (a POST with its CSRF token) records an answer or reopens a case.
"""

import re

import pytest
from django.test import Client

from relaydesk.cases import actions
from relaydesk.cases.models import Case, Event, EventKind, Notification, Status, SurveyAnswer
from relaydesk.outbox.models import OutgoingMail
from tests import factories
from tests.portal.test_status_page import assert_status_headers, opened


@pytest.fixture
def case(cast):
    """Carla's case, solved by Sam (passed up to him by Fran)."""
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    actions.pass_case(
        case, acting=cast.fran, reason="needs_expertise", note="Refund", to_user=cast.sam
    )
    return actions.solve(case, acting=cast.sam, resolution="Refunded", one_off_reason="Glitch")


@pytest.fixture
def other_case(cast):
    customer = factories.make_customer(name="Otto Berg", email="otto@example.com")
    case = factories.make_case(category=cast.billing, acting=cast.fran, customer=customer)
    return actions.solve(case, acting=cast.fran, resolution="Found it", one_off_reason="Once")


def survey_url(case: Case) -> str:
    return f"/status/case/{case.ref}/survey/"


def reopen_url(case: Case) -> str:
    return f"/status/case/{case.ref}/reopen/"


def answer(client: Client, case: Case, **fields):
    return client.post(survey_url(case), {"opening": str(case.opening), **fields})


def state() -> tuple:
    return (
        SurveyAnswer.objects.count(),
        Event.objects.count(),
        Notification.objects.count(),
        list(Case.objects.order_by("id").values()),
    )


def test_the_solve_mail_points_at_the_survey_on_the_status_page(case):
    mail = OutgoingMail.objects.get(case=case, event__kind=EventKind.SOLVED)

    assert "How did we do?" in mail.body
    assert "rate our help from 1 to 5" in mail.body
    assert "Opening the link records nothing" in mail.body
    assert "/status/" in mail.body


def test_a_solved_case_shows_the_survey_with_large_targets_and_the_reopen_form(client, case):
    html = opened(client, case).content.decode()

    survey = re.search(
        r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>',
        html[html.index('id="survey"') :],
        re.S,
    )
    assert survey is not None and survey.group(1) == survey_url(case)
    radios = re.findall(
        r'<label class="rating-choice"><input type="radio" name="rating" value="(\d)"',
        survey.group(2),
    )
    assert radios == ["1", "2", "3", "4", "5"]  # each radio inside its whole label: a big target
    assert "What delighted you?" in html and "What should we fix?" in html
    assert 'name="csrfmiddlewaretoken"' in survey.group(2)
    assert f'action="{reopen_url(case)}"' in html and "I'm not happy: reopen" in html
    assert "hx-" not in html.split('<main id="main"')[1]  # works without script


def test_an_open_case_shows_neither_form(client, cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran)

    html = opened(client, case).content.decode()

    assert 'id="survey"' not in html and 'id="unhappy"' not in html


def test_a_mail_scanner_opening_every_link_records_no_answer_and_reopens_nothing(
    cast, case, settings
):
    actions.reply(case, acting=cast.sam, body="One more thing: the refund takes 3 days.")
    links = {
        url.removeprefix(settings.BASE_URL)
        for mail in OutgoingMail.objects.filter(case=case)
        for url in re.findall(r"https?://\S+", mail.body)
        if url.startswith(settings.BASE_URL)
    }
    assert len(links) >= 2  # the acknowledgement's, the solve mail's, the reply's
    before = state()

    for path in links:
        scanner = Client()
        page = scanner.get(path, follow=True)
        assert page.status_code == 200 and 'id="survey"' in page.content.decode()
        for url in (survey_url(case), reopen_url(case)):  # even a scanner that guesses on
            assert scanner.get(url).status_code == 405
            assert scanner.head(url).status_code == 405

    assert state() == before


def test_a_rating_of_5_with_words_shows_as_delighted_on_the_solvers_page(client, cast, case):
    opened(client, case)

    sent = answer(client, case, rating="5", delighted="Sam called back within the hour.")

    assert sent.status_code == 302
    assert_status_headers(sent)
    page = client.get(sent["Location"]).content.decode()
    assert "Thank you for your answer." in page and 'id="survey"' not in page
    staff = Client()
    staff.force_login(cast.mia)
    person = staff.get("/people/sam/").content.decode()
    delighted = person[person.index('data-testid="delighted"') :]
    assert case.ref in delighted and "5 of 5" in delighted
    assert "Sam called back within the hour." in delighted
    assert "Sam called back" not in staff.get("/people/fran/").content.decode()
    timeline = staff.get(f"/cases/{case.ref}/").content.decode()
    assert "The customer answered the survey: 5 of 5 (delighted)" in timeline


def test_a_rating_of_1_reopens_the_case_to_the_solver_with_the_words(client, cast, case):
    opened(client, case)

    sent = answer(client, case, rating="1", fix="The second charge is still on my card.")

    assert sent.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.owner) == (Status.OPEN, cast.sam)
    reopened = case.events.get(kind=EventKind.REOPENED)
    assert "The second charge is still on my card." in reopened.body
    assert reopened.data["by"] == "customer"
    page = client.get(sent["Location"]).content.decode()
    assert "we reopened your case" in page and "We are working on it" in page


def test_the_survey_is_answered_once_per_solve(client, case):
    opened(client, case)
    answer(client, case, rating="4", delighted="Quick.")
    before = state()

    again = answer(client, case, rating="1", fix="Actually no.")

    assert again.status_code == 409
    assert "You already answered, thank you." in again.content.decode()
    assert_status_headers(again)
    assert state() == before


def test_a_reopen_withdraws_the_unanswered_survey(client, cast, case):
    opened(client, case)
    actions.reopen(case, acting=cast.sam, why="The refund bounced.")
    case.refresh_from_db()

    page = client.get(f"/status/case/{case.ref}/").content.decode()
    assert 'id="survey"' not in page and 'id="unhappy"' not in page
    before = state()
    late = client.post(survey_url(case), {"opening": "1", "rating": "5"})

    assert late.status_code == 409
    assert "This survey is closed" in late.content.decode()
    assert state() == before


def test_a_rating_is_required_and_the_words_are_bounded(client, case):
    opened(client, case)
    before = state()

    none = answer(client, case, delighted="Nice")
    long = answer(client, case, rating="5", fix="x" * 2001)
    odd = answer(client, case, rating="9")

    assert none.status_code == long.status_code == odd.status_code == 422
    assert "Choose a rating from 1 to 5." in none.content.decode()
    assert "Nice" in none.content.decode()  # the words are kept for the next try
    assert "Keep it under 2000 characters." in long.content.decode()
    assert state() == before


def test_im_not_happy_reopens_to_the_solver_with_the_reason(client, cast, case):
    opened(client, case)

    sent = client.post(reopen_url(case), {"why": "The refund never arrived."})

    assert sent.status_code == 302
    assert_status_headers(sent)
    case.refresh_from_db()
    assert (case.status, case.owner, case.opening) == (Status.OPEN, cast.sam, 2)
    assert case.events.get(kind=EventKind.REOPENED).body == "The refund never arrived."
    page = client.get(sent["Location"]).content.decode()
    assert "We reopened your case and are working on it again." in page
    assert "Sam (Specialist) has your case" in page


def test_im_not_happy_needs_a_reason(client, case):
    opened(client, case)
    before = state()

    refused = client.post(reopen_url(case), {"why": "  "})

    assert refused.status_code == 422
    assert "Tell us what is still not right." in refused.content.decode()
    assert state() == before


def test_the_forms_are_csrf_protected(case):
    browser = Client(enforce_csrf_checks=True)
    opened(browser, case)
    before = state()

    assert answer(browser, case, rating="1", fix="x").status_code == 403
    assert browser.post(reopen_url(case), {"why": "x"}).status_code == 403
    assert state() == before


def test_another_cases_ref_gets_the_same_404_on_every_new_route(client, case, other_case):
    opened(client, case)
    missing = client.get("/status/case/RD-999999/").content
    before = state()

    for url in (survey_url(other_case), reopen_url(other_case), "/status/case/RD-x/survey/"):
        refused = client.post(url, {"opening": "1", "rating": "1", "fix": "x", "why": "x"})
        assert refused.status_code == 404 and refused.content == missing
        assert_status_headers(refused)

    assert state() == before


def test_a_link_that_stopped_working_gets_the_same_404(client, cast, case):
    opened(client, case)
    missing = client.get("/status/case/RD-999999/").content
    actions.close(case, acting=None)

    refused = answer(client, case, rating="5")

    assert refused.status_code == 404 and refused.content == missing
    assert not SurveyAnswer.objects.exists()


def test_the_solved_page_takes_a_fixed_number_of_queries(
    client, cast, case, django_assert_max_num_queries
):
    opened(client, case)
    for number in range(5):
        actions.reply(case, acting=cast.sam, body=f"A last word {number}")

    with django_assert_max_num_queries(8):  # + the survey asked? + the reopen window + words
        page = client.get(f"/status/case/{case.ref}/")
    assert page.status_code == 200 and 'id="survey"' in page.content.decode()


def test_the_solvers_page_lists_many_delighted_customers_at_a_fixed_cost(
    cast, django_assert_max_num_queries
):
    for number in range(6):
        case = factories.make_case(category=cast.billing, acting=cast.fran)
        actions.solve(case, acting=cast.fran, resolution="Done", one_off_reason="Once")
        actions.answer_survey(case, rating=5, delighted=f"Kind words {number}")
    staff = Client()
    staff.force_login(cast.mia)

    with django_assert_max_num_queries(10):
        html = staff.get("/people/fran/").content.decode()
    assert all(f"Kind words {number}" in html for number in range(6))
