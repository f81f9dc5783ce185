"""The status page (rule 14): the link in every mail, exchanged for a session, then a clean URL.

The customer's browser is the test client; each test opens links as a customer (or a mail
scanner, or a stranger) would.
"""

import hashlib
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from relaydesk.cases import actions
from relaydesk.cases.models import Case, Event, EventKind, Notification, StatusLink
from relaydesk.intake.mail.receive import receive
from relaydesk.org.models import Company
from relaydesk.outbox.models import OutgoingMail
from relaydesk.outbox.sending import handle_one_send_batch
from tests import factories
from tests.status_helpers import token_in

HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}


def link_of(case: Case) -> str:
    """The path of the status link in the case's acknowledgement (the mail as it was sent)."""
    mail = OutgoingMail.objects.get(case=case, event__kind=EventKind.ACKNOWLEDGED)
    return f"/status/{token_in(mail.body)}"


def assert_status_headers(response) -> None:
    for name, value in HEADERS.items():
        assert response[name] == value, name


def opened(client: Client, case: Case):
    """Open the case's link in `client`'s session; the clean page it leads to."""
    exchanged = client.get(link_of(case))
    assert exchanged.status_code == 302
    return client.get(exchanged["Location"])


@pytest.fixture
def case(cast):
    return factories.make_case(category=cast.billing, acting=cast.fran)


@pytest.fixture
def other_case(cast):
    customer = factories.make_customer(name="Otto Berg", email="otto@example.com")
    return factories.make_case(
        category=cast.billing, acting=cast.fran, customer=customer, subject="Lost my bike"
    )


def test_a_link_has_at_least_128_random_bits_and_only_its_hash_is_kept(case):
    token = link_of(case).removeprefix("/status/")

    assert len(token) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", token)  # 6 bits a character
    link = StatusLink.objects.get(case=case)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(Event.objects.values()))
    # The queued mail carries the token to the customer; once sent, the outbox keeps it masked.
    handle_one_send_batch()
    sent = OutgoingMail.objects.get(case=case, event__kind=EventKind.ACKNOWLEDGED)
    assert sent.status == OutgoingMail.Status.SENT and "/status/•••" in sent.body
    for model in apps.get_models():  # the plain token is nowhere in the database
        for row in model.objects.values():
            assert token not in str(row), model.__name__


def test_the_link_is_exchanged_for_a_session_and_a_clean_url_without_the_token(client, case):
    exchanged = client.get(link_of(case))

    assert exchanged.status_code == 302
    assert exchanged["Location"] == f"/status/case/{case.ref}/"
    assert_status_headers(exchanged)
    page = client.get(exchanged["Location"])
    assert page.status_code == 200
    assert_status_headers(page)
    html = page.content.decode()
    assert case.ref in html and case.subject in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Acme Rail" in html.split("</title>")[0]
    assert "We are working on it" in html
    assert "Fran (Frontline)" in html  # first name and tier only


def test_the_page_says_the_promise_in_the_companys_time_zone_and_whether_it_is_kept(client, case):
    html = opened(client, case).content.decode()

    assert re.search(r"You will have our answer by (today|tomorrow) \d\d:\d\d", html)
    assert "We are on time." in html


def test_without_the_link_no_session_sees_a_case(client, case):
    refused = client.get(f"/status/case/{case.ref}/")

    assert refused.status_code == 404
    assert_status_headers(refused)


def test_the_session_sees_only_the_cases_whose_links_it_opened(client, case, other_case):
    opened(client, case)
    missing = client.get("/status/no-such-token-at-all-0000000000")

    for response in (
        client.get(f"/status/case/{other_case.ref}/"),
        client.post(f"/status/case/{other_case.ref}/reply/", {"body": "Hello"}),
        client.get(f"/status/case/{other_case.pk}/"),
        client.get("/status/case/RD-99999999/"),
        client.get("/status/case/not-a-ref/"),
        client.get(f"/status/case/{case.ref}/elsewhere/"),
    ):
        assert response.status_code == 404
        assert response.content == missing.content
        assert_status_headers(response)
    assert not other_case.events.filter(kind=EventKind.CUSTOMER_WROTE).exists()


def test_wrong_rotated_and_closed_case_links_get_identical_answers(cast, case, other_case):
    rotated = link_of(case)
    actions.rotate_status_link(case, acting=cast.fran)
    closed = link_of(other_case)
    actions.solve(other_case, acting=cast.fran, resolution="Found it", one_off_reason="Once")
    actions.close(other_case, acting=None)
    wrong = "/status/" + "x" * 43

    answers = [Client().get(path) for path in (wrong, rotated, closed)]

    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1
    for answer in answers:
        assert_status_headers(answer)
        assert "Location" not in answer


def test_a_solved_case_still_shows_until_it_closes(client, cast, case):
    actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Bank glitch")

    page = opened(client, case)

    assert page.status_code == 200
    assert "Solved" in page.content.decode()
    actions.close(case, acting=None)
    assert client.get(f"/status/case/{case.ref}/").status_code == 404


def test_rotating_ends_the_sessions_opened_through_the_old_links(client, cast, case):
    opened(client, case)

    actions.rotate_status_link(case, acting=cast.sam)

    assert client.get(f"/status/case/{case.ref}/").status_code == 404


def test_opening_the_page_changes_nothing(client, case):
    before = (Event.objects.count(), Case.objects.count(), Notification.objects.count())
    row = Case.objects.filter(pk=case.pk).values().get()

    opened(client, case)
    client.get(f"/status/case/{case.ref}/")
    client.head(link_of(case))

    after = (Event.objects.count(), Case.objects.count(), Notification.objects.count())
    assert after == before
    assert Case.objects.filter(pk=case.pk).values().get() == row


def test_the_page_shows_the_customers_words_and_replies_never_notes_or_staff_details(
    client, cast, case
):
    actions.customer_wrote(case, body="The second charge is still there.", via="email")
    actions.add_note(case, acting=cast.fran, body="INTERNAL: customer sounds cross")
    actions.pass_case(
        case, acting=cast.fran, reason="needs_expertise", note="PASS-NOTE refund", to_user=cast.sam
    )

    html = opened(client, case).content.decode()

    assert "The second charge is still there." in html
    assert "INTERNAL" not in html and "PASS-NOTE" not in html
    for person in (cast.fran, cast.sam):
        assert not re.search(rf"\b{person.last_name}\b", html)  # "Special", not "Specialist"
        assert person.email not in html
    assert "Sam (Specialist)" in html
    actions.reply(case, acting=cast.sam, body="We have refunded the second charge.")
    html = client.get(f"/status/case/{case.ref}/").content.decode()
    assert "We have refunded the second charge." in html
    assert "Sam wrote" in html
    assert not re.search(rf"\b{cast.sam.last_name}\b", html)
    assert "sam@acme.example" not in html


def test_the_customers_reply_lands_on_the_timeline_and_tells_the_owner(client, case):
    opened(client, case)
    photo = SimpleUploadedFile("ticket.jpg", b"\xff\xd8 a photo", content_type="image/jpeg")

    sent = client.post(
        f"/status/case/{case.ref}/reply/", {"body": "Here is my ticket.", "file": photo}
    )

    assert sent.status_code == 302
    assert_status_headers(sent)
    wrote = case.events.filter(kind=EventKind.CUSTOMER_WROTE).last()
    assert wrote.body == "Here is my ticket." and wrote.data["via"] == "status_page"
    assert [item["name"] for item in wrote.data["attachments"]] == ["ticket.jpg"]
    assert case.attachments.get().original_name == "ticket.jpg"
    assert Notification.objects.filter(user=case.owner, case=case).count() >= 1
    page = client.get(sent["Location"])
    assert "Here is my ticket." in page.content.decode()
    assert "ticket.jpg" in page.content.decode()


def test_a_reply_with_nothing_in_it_or_too_large_a_file_is_refused_with_a_reason(
    client, case, settings
):
    opened(client, case)
    settings.MAIL_MAX_ATTACHMENT_BYTES = 10
    before = Event.objects.count()

    empty = client.post(f"/status/case/{case.ref}/reply/", {"body": "  "})
    big = SimpleUploadedFile("big.pdf", b"x" * 11, content_type="application/pdf")
    too_large = client.post(f"/status/case/{case.ref}/reply/", {"body": "Hi", "file": big})

    assert empty.status_code == 422 and "Write your message." in empty.content.decode()
    assert too_large.status_code == 422 and "too large" in too_large.content.decode()
    assert_status_headers(empty)
    assert Event.objects.count() == before


def test_the_reply_form_is_csrf_protected(case):
    browser = Client(enforce_csrf_checks=True)
    opened(browser, case)

    refused = browser.post(f"/status/case/{case.ref}/reply/", {"body": "Hello"})

    assert refused.status_code == 403
    assert not case.events.filter(kind=EventKind.CUSTOMER_WROTE).exists()


def form_token(browser: Client, case: Case) -> str:
    """Open the case's page in `browser`; the CSRF token its forms carry."""
    html = opened(browser, case).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("secure", [False, True], ids=["http", "https"])
def test_the_reply_form_works_from_a_no_referrer_page_as_browsers_post_it(case, secure):
    """Under no-referrer a browser posts the form with `Origin: null` and no Referer."""
    browser = Client(enforce_csrf_checks=True)
    token = form_token(browser, case)

    sent = browser.post(
        f"/status/case/{case.ref}/reply/",
        {"body": "Hello", "csrfmiddlewaretoken": token},
        headers={"Origin": "null"},
        secure=secure,
    )

    assert sent.status_code == 302
    assert case.events.filter(kind=EventKind.CUSTOMER_WROTE).get().body == "Hello"


@pytest.mark.parametrize("route", ["reply", "survey", "reopen"])
def test_a_null_origin_still_needs_the_token_and_another_sites_origin_is_refused(case, route):
    browser = Client(enforce_csrf_checks=True)
    token = form_token(browser, case)
    url = f"/status/case/{case.ref}/{route}/"
    form = {"body": "Hi", "why": "Not right", "rating": "1", "opening": str(case.opening)}

    without_token = browser.post(url, form, headers={"Origin": "null"})
    elsewhere = browser.post(
        url, {**form, "csrfmiddlewaretoken": token}, headers={"Origin": "https://evil.example"}
    )

    assert without_token.status_code == 403 and elsewhere.status_code == 403
    assert not case.events.filter(kind=EventKind.CUSTOMER_WROTE).exists()


def test_the_page_works_without_script_and_fits_a_phone(client, case):
    html = opened(client, case).content.decode()

    assert 'name="viewport" content="width=device-width' in html
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>', html)
    assert form is not None and form.group(1) == f"/status/case/{case.ref}/reply/"
    assert 'enctype="multipart/form-data"' in form.group(0)
    assert "hx-" not in html.split('<main id="main"')[1]  # plain HTML: no script needed


def test_the_page_takes_a_fixed_number_of_queries(
    client, cast, case, django_assert_max_num_queries
):
    opened(client, case)
    for number in range(5):
        actions.customer_wrote(case, body=f"Message {number}", via="email")

    with django_assert_max_num_queries(6):  # the 6th: the company's words, all at once
        page = client.get(f"/status/case/{case.ref}/")
    assert page.status_code == 200


def test_rotation_keeps_the_reply_address_working(client, cast, case):
    ack = OutgoingMail.objects.get(case=case, event__kind=EventKind.ACKNOWLEDGED)
    reply_to = ack.headers["Reply-To"]
    actions.rotate_status_link(case, acting=cast.fran)
    raw = (
        "From: Carla Mendes <carla@example.com>\r\n"
        f"To: {reply_to}\r\n"
        "Subject: one more thing\r\n"
        "Message-ID: <after-rotation@example.com>\r\n"
        "\r\n"
        "It was on my credit card.\r\n"
    ).encode()

    receive(raw, source="test", envelope_from="carla@example.com", envelope_to=[reply_to])

    assert Case.objects.count() == 1
    wrote = case.events.filter(kind=EventKind.CUSTOMER_WROTE).last()
    assert wrote.body.startswith("It was on my credit card.")
    assert wrote.data["via"] == "reply_address"
    assert Client().get(link_of(case)).status_code == 404


def test_a_mail_scanner_opening_every_link_in_every_mail_changes_nothing(cast, case, settings):
    actions.customer_wrote(case, body="Any news?", via="email")
    actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Bank glitch")
    links = {
        url.removeprefix(settings.BASE_URL)
        for mail in OutgoingMail.objects.all()
        for url in re.findall(r"https?://\S+", mail.body)
        if url.startswith(settings.BASE_URL)
    }
    assert links  # at least the acknowledgement's status link
    before = (Event.objects.count(), Notification.objects.count())
    rows = list(Case.objects.values())

    for path in links:
        scanner = Client()
        response = scanner.get(path, follow=True)
        assert response.status_code in (200, 404)

    assert (Event.objects.count(), Notification.objects.count()) == before
    assert list(Case.objects.values()) == rows


@pytest.mark.parametrize(
    ("locale", "written"), [("de", "05.12.2026 15:20"), ("en-US", "12/05/2026 3:20 p.m.")]
)
def test_the_timeline_writes_its_times_in_the_companys_zone_and_locale(
    client, cast, time_machine, locale, written
):
    Company.objects.filter(pk=cast.company.pk).update(locale=locale, time_zone="Europe/Berlin")
    time_machine.move_to("2026-12-05T14:20:00+00:00", tick=False)
    case = factories.make_case(category=cast.billing, acting=cast.fran)

    page = opened(client, case).content.decode()

    assert f'<time datetime="2026-12-05T15:20:00+01:00">{written}</time>' in page
