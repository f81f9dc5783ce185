"""The web contact form: a customer opens a case without signing in, and is acknowledged."""

import pytest
import time_machine
from django.test import Client

from relaydesk.cases.models import Case, EventKind
from relaydesk.intake.models import ContactAttempt
from relaydesk.outbox.models import OutgoingMail


def form(**overrides) -> dict:
    data = {
        "category": "billing",
        "name": "Carla Mendes",
        "email": "carla@example.com",
        "subject": "Charged twice",
        "message": "I was charged twice for my season ticket on 3 November.",
        "detail_invoice": "INV-77",
        "detail_amount": "49.90",
    }
    data.update(overrides)
    return data


def test_choosing_a_category_shows_its_fields(client, cast):
    page = client.get("/contact", {"category": "billing"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "Invoice number" in text
    assert "Amount charged" in text
    assert 'name="csrfmiddlewaretoken"' in text


def test_without_a_category_only_the_choice_is_shown(client, cast):
    text = client.get("/contact").content.decode()
    assert "Billing" in text
    assert "Invoice number" not in text


def test_sending_the_form_opens_a_case_and_acknowledges_it(client, cast):
    answer = client.post("/contact", form())

    assert answer.status_code == 302
    case = Case.objects.get()
    assert case.channel == "web"
    assert case.details == {"invoice": "INV-77", "amount": 49.9}
    assert case.customer.email == "carla@example.com"
    wrote = case.events.get(kind=EventKind.CUSTOMER_WROTE)
    assert wrote.body.startswith("I was charged twice")
    ack = OutgoingMail.objects.get(event__kind=EventKind.ACKNOWLEDGED)
    assert ack.to == "carla@example.com"
    thanks = client.get(answer["Location"]).content.decode()
    assert case.ref in thanks
    assert "Your problem is real and we will deal with it" in thanks


def test_field_errors_come_back_on_the_form(client, cast):
    answer = client.post(
        "/contact", form(email="not-an-address", detail_amount="lots", detail_invoice="")
    )

    assert answer.status_code == 422
    text = answer.content.decode()
    assert "Enter your email address" in text
    assert "Enter a number." in text
    assert "This is required." in text
    assert not Case.objects.exists()


def test_an_unknown_category_is_a_field_error(client, cast):
    answer = client.post("/contact", form(category="nope"))
    assert answer.status_code == 422
    assert "Choose what your message is about." in answer.content.decode()


def test_the_form_needs_its_csrf_token(cast):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/contact", form()).status_code == 403
    assert not Case.objects.exists()


def test_one_address_may_write_three_times_an_hour(client, cast):
    for number in range(3):
        assert client.post("/contact", form(subject=f"Problem {number}")).status_code == 302

    refused = client.post("/contact", form(subject="Problem 4"))

    assert refused.status_code == 429
    assert "reply to the acknowledgement email" in refused.content.decode()
    assert Case.objects.count() == 3


def test_one_network_may_write_ten_times_an_hour(client, cast):
    for number in range(10):
        sent = client.post("/contact", form(email=f"p{number}@example.com"))
        assert sent.status_code == 302

    refused = client.post("/contact", form(email="p11@example.com"))

    assert refused.status_code == 429
    assert "Too many messages from your network" in refused.content.decode()


def test_the_limit_lifts_after_an_hour(client, cast):
    with time_machine.travel("2026-11-20 09:00 +00:00", tick=False):
        for number in range(3):
            client.post("/contact", form(subject=f"Problem {number}"))
    with time_machine.travel("2026-11-20 10:01 +00:00", tick=False):
        assert client.post("/contact", form(subject="Later")).status_code == 302
    assert ContactAttempt.objects.count() == 4


def test_a_refused_sender_is_told_when_to_write_again_retry_after(client, cast):
    """Three messages at 09:00, 09:10 and 09:20: the first is an hour old at 10:00, and the
    sender may write again then (not an hour after the refusal)."""
    for minute in (0, 10, 20):
        with time_machine.travel(f"2026-11-20 09:{minute:02d} +00:00", tick=False):
            assert client.post("/contact", form(subject=f"At {minute}")).status_code == 302

    with time_machine.travel("2026-11-20 09:50 +00:00", tick=False):
        refused = client.post("/contact", form(subject="Again"))

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(10 * 60)
    with time_machine.travel("2026-11-20 09:59 +00:00", tick=False):
        assert client.post("/contact", form(subject="Early")).status_code == 429
    with time_machine.travel("2026-11-20 10:01 +00:00", tick=False):
        assert client.post("/contact", form(subject="On time")).status_code == 302


def test_a_network_over_its_limit_gets_retry_after_too(client, cast):
    with time_machine.travel("2026-11-20 09:00 +00:00", tick=False):
        for number in range(10):
            client.post("/contact", form(email=f"p{number}@example.com"))
    with time_machine.travel("2026-11-20 09:45 +00:00", tick=False):
        refused = client.post("/contact", form(email="p11@example.com"))

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(15 * 60)


def test_a_limit_of_nought_takes_no_message_from_the_form(client, cast, settings):
    settings.CONTACT_PER_ADDRESS_PER_HOUR = 0

    with time_machine.travel("2026-11-20 09:00 +00:00", tick=False):
        refused = client.post("/contact", form())

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(60 * 60)
    assert not Case.objects.exists()


@pytest.mark.parametrize("bad", ["", "x" * 201])
def test_the_subject_is_needed_and_bounded(client, cast, bad):
    assert client.post("/contact", form(subject=bad)).status_code == 422


def test_a_forged_confirmation_link_is_404(client, cast):
    assert client.get("/contact/sent/forged:token/").status_code == 404
