"""Every route under /status/, tried by a session that opened one case's link.

Another case's reference, its database id, or its file (alone or through a case this session
sees) gets exactly what a case that does not exist gets: the one plain 404, whatever the
method. Every answer under /status/ carries the status page's headers. The routes are read from
the URL configuration, so a new one cannot be left out of these tests.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from relaydesk.cases import actions
from relaydesk.cases.models import Case, Event
from relaydesk.portal import urls as portal_urls
from tests import factories
from tests.portal.test_status_page import assert_status_headers, opened

CASE_ROUTES = {  # each route under status/case/ and the method it answers
    "portal-status-case": "get",
    "portal-status-reply": "post",
    "portal-status-survey": "post",
    "portal-status-reopen": "post",
    "portal-status-file": "get",
}
FORM = {"body": "Let me in", "why": "Let me in", "rating": "1", "opening": "1", "fix": "x"}


@pytest.fixture(autouse=True)
def files_here(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def with_a_file(case: Case, name: str) -> int:
    photo = SimpleUploadedFile(name, b"\x89PNG a photo", content_type="image/png")
    actions.customer_wrote(case, body="A photo", via="status_page", files=[photo])
    return case.attachments.get().pk


@pytest.fixture
def mine(cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    with_a_file(case, "mine.png")
    return case


@pytest.fixture
def theirs(cast):
    customer = factories.make_customer(name="Otto Berg", email="otto@example.com")
    case = factories.make_case(category=cast.billing, acting=cast.fran, customer=customer)
    with_a_file(case, "theirs.png")
    return case


def url(name: str, ref: str, attachment_id: int) -> str:
    kwargs: dict[str, object] = {"ref": ref}
    if name == "portal-status-file":
        kwargs["attachment_id"] = attachment_id
    return reverse(name, kwargs=kwargs)


def test_these_tests_try_every_route_of_a_case():
    routes = {
        pattern.name
        for pattern in portal_urls.urlpatterns
        if str(pattern.pattern).startswith("status/case/")
    }

    assert routes == set(CASE_ROUTES)


@pytest.mark.parametrize("name", sorted(CASE_ROUTES))
def test_another_cases_reference_id_or_file_gets_what_no_case_gets(client, mine, theirs, name):
    opened(client, mine)
    their_file = theirs.attachments.get().pk
    missing = client.get("/status/case/RD-999999/")
    before = Event.objects.count()
    nowhere = {
        method: getattr(client, method)(url(name, "RD-999999", their_file), FORM)
        for method in ("get", "post")
    }
    assert nowhere[CASE_ROUTES[name]].status_code == 404
    assert nowhere[CASE_ROUTES[name]].content == missing.content

    tries = [url(name, theirs.ref, their_file), url(name, str(theirs.pk), their_file)]
    if name == "portal-status-file":
        tries.append(url(name, mine.ref, their_file))  # their file through my case
    for path in tries:
        for method, expected in nowhere.items():
            answer = getattr(client, method)(path, FORM)
            assert (answer.status_code, answer.content) == (
                expected.status_code,
                expected.content,
            ), (method, path)
            assert_status_headers(answer)
    assert Event.objects.count() == before


@pytest.mark.parametrize("name", sorted(CASE_ROUTES))
def test_every_answer_under_status_carries_the_headers(mine, name):
    browser = Client(enforce_csrf_checks=True)  # a CSRF refusal is an answer too
    opened(browser, mine)
    path = url(name, mine.ref, mine.attachments.get().pk)

    for answer in (
        browser.get(path),
        browser.head(path),
        browser.post(path, FORM),
        browser.put(path),
        Client().get(path),
    ):
        assert_status_headers(answer)


def test_the_link_and_the_catch_all_carry_the_headers_for_any_method(mine):
    for path in ("/status/" + "x" * 43, "/status/", "/status/case/", "/status/a/b/c"):
        for method in ("get", "post", "delete"):
            assert_status_headers(getattr(Client(enforce_csrf_checks=True), method)(path))
