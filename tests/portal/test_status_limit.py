"""The status page's limit: a case's customer posts at most RELAYDESK_STATUS_PAGE_POSTS_PER_HOUR
messages and survey answers in an hour; beyond it a plain page says when they can write again
(429) and shows back what they typed, and nothing is recorded."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from relaydesk.cases import actions
from relaydesk.cases.models import EventKind, Status, SurveyAnswer
from tests import factories
from tests.portal.test_status_page import assert_status_headers, opened

MONDAY_NINE = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam


@pytest.fixture(autouse=True)
def three_an_hour(settings, tmp_path):
    settings.STATUS_PAGE_POSTS_PER_HOUR = 3
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        return factories.make_case(category=cast.billing, acting=cast.fran)


def write(client, case, body: str, **files):
    return client.post(f"/status/case/{case.ref}/reply/", {"body": body, **files})


def written(case) -> int:
    return case.events.filter(kind=EventKind.CUSTOMER_WROTE).count()


def test_beyond_the_limit_the_customer_is_told_when_to_write_again_and_sees_their_words(
    client, case
):
    with time_machine.travel(MONDAY_NINE, tick=False):
        opened(client, case)
    for minute in (0, 10, 20):
        with time_machine.travel(MONDAY_NINE + timedelta(minutes=minute), tick=False):
            assert write(client, case, f"Message at {minute}").status_code == 302

    with time_machine.travel(MONDAY_NINE + timedelta(minutes=30), tick=False):
        photo = SimpleUploadedFile("ticket.png", b"\x89PNG a photo", content_type="image/png")
        held = write(client, case, "A fourth <b>thought</b>\nwith two lines", file=photo)

    assert held.status_code == 429
    assert_status_headers(held)
    assert held["Retry-After"] == str(30 * 60 + 1)
    html = held.content.decode()
    assert "You can write here again from" in html
    assert "30/11/2026 10:00" in html  # the first message's hour is over, in Amsterdam
    assert "A fourth &lt;b&gt;thought&lt;/b&gt;\nwith two lines</textarea>" in html
    assert "ticket.png" in html and "choose it again" in html
    assert f'href="/status/case/{case.ref}/"' in html
    assert written(case) == 3 and not case.attachments.exists()

    with time_machine.travel(MONDAY_NINE + timedelta(minutes=60, seconds=1), tick=False):
        assert write(client, case, "A fourth thought").status_code == 302
    assert written(case) == 4


def test_mail_from_the_customer_does_not_count(client, case):
    opened(client, case)
    for number in range(5):
        actions.customer_wrote(case, body=f"By mail {number}", via="email")

    assert write(client, case, "And here").status_code == 302


def test_the_limit_is_per_case(client, cast, case):
    other = factories.make_case(category=cast.billing, acting=cast.fran, subject="Lost my bike")
    opened(client, case)
    opened(client, other)
    for number in range(3):
        write(client, case, f"Message {number}")

    assert write(client, case, "One more").status_code == 429
    assert write(client, other, "About my bike").status_code == 302


def test_the_survey_and_the_reopen_wait_too_and_show_back_the_answers(client, cast, case):
    opened(client, case)
    for number in range(3):
        write(client, case, f"Message {number}")
    actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Bank glitch")
    form = {"opening": str(case.opening), "rating": "1", "fix": "Answer the phone"}

    survey = client.post(f"/status/case/{case.ref}/survey/", form)
    reopen = client.post(f"/status/case/{case.ref}/reopen/", {"why": "Still charged twice"})

    assert survey.status_code == 429 and reopen.status_code == 429
    assert "1 of 5" in survey.content.decode()
    assert "Answer the phone</textarea>" in survey.content.decode()
    assert "Still charged twice</textarea>" in reopen.content.decode()
    case.refresh_from_db()
    assert case.status == Status.SOLVED and not SurveyAnswer.objects.exists()


def test_survey_answers_count_towards_the_limit(client, cast, case, settings):
    settings.STATUS_PAGE_POSTS_PER_HOUR = 1
    actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Bank glitch")
    opened(client, case)
    form = {"opening": str(case.opening), "rating": "5", "delighted": "Quick"}
    assert client.post(f"/status/case/{case.ref}/survey/", form).status_code == 302

    assert write(client, case, "Thanks again!").status_code == 429
