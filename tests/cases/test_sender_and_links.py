"""Who our mail is from and where its links point: the company's support address (unless
RELAYDESK_FROM_EMAIL says otherwise) and the address `relaydesk serve` bound (unless
RELAYDESK_BASE_URL says otherwise)."""

import socket

from django.core import mail

from relaydesk.cases.mail_threads import reply_address
from relaydesk.clock.worker import run_due_work
from relaydesk.intake.mail.smtp import accepted_domains
from relaydesk.intake.mail.threads import case_for_reply_address
from relaydesk.org.addresses import record_served_at, served_url
from relaydesk.org.models import RealtimeTrigger
from relaydesk.outbox.models import OutgoingMail
from tests.factories import make_case


def sent_acknowledgement():
    run_due_work()
    [acknowledgement] = [message for message in mail.outbox if message.to == ["carla@example.com"]]
    return acknowledgement


def test_our_mail_is_from_the_companys_support_address_and_replies_come_back_to_its_domain(
    cast,
):
    cast.company.support_email = "help@acme.example"
    cast.company.save()
    case = make_case(category=cast.billing, acting=cast.fran)

    message = sent_acknowledgement().message()

    assert message["From"] == "help@acme.example"
    assert message["Reply-To"].startswith("help+rd")
    assert message["Reply-To"].endswith("@acme.example")
    assert case_for_reply_address(message["Reply-To"]) == case  # mailin threads it back
    assert "acme.example" in accepted_domains()


def test_without_a_support_address_the_settings_sender_is_used(cast, settings):
    make_case(category=cast.billing, acting=cast.fran)

    assert sent_acknowledgement().from_email == settings.DEFAULT_FROM_EMAIL


def test_relaydesk_from_email_wins_over_the_company_file(cast, settings):
    settings.FROM_EMAIL_GIVEN = True
    settings.DEFAULT_FROM_EMAIL = "desk@other.example"
    settings.MAIL_DOMAIN = "other.example"
    cast.company.support_email = "help@acme.example"
    cast.company.save()
    case = make_case(category=cast.billing, acting=cast.fran)

    assert sent_acknowledgement().from_email == "desk@other.example"
    assert reply_address(case).endswith("@other.example")


def test_status_links_point_where_serve_last_listened(cast, settings, tmp_path):
    settings.HOME = tmp_path  # served-at is read from RELAYDESK_HOME
    record_served_at("http://127.0.0.1:8765")

    case = make_case(category=cast.billing, acting=cast.fran)

    assert "http://127.0.0.1:8765/status/" in OutgoingMail.objects.get(case=case).body


def test_relaydesk_base_url_wins_over_the_served_address(cast, settings, tmp_path):
    settings.HOME = tmp_path
    record_served_at("http://127.0.0.1:8765")
    settings.BASE_URL_GIVEN = True
    settings.BASE_URL = "https://help.acme.example"

    case = make_case(category=cast.billing, acting=cast.fran)

    assert "https://help.acme.example/status/" in OutgoingMail.objects.get(case=case).body


def test_nothing_served_yet_links_to_the_default(cast, settings, tmp_path):
    settings.HOME = tmp_path

    case = make_case(category=cast.billing, acting=cast.fran)

    assert f"{settings.BASE_URL}/status/" in OutgoingMail.objects.get(case=case).body


def test_a_wildcard_bind_is_named_by_this_machines_hostname_never_the_wildcard():
    assert served_url("0.0.0.0", 9000) == f"http://{socket.getfqdn()}:9000"  # noqa: S104
    assert served_url("::", 9000) == f"http://{socket.getfqdn()}:9000"
    assert served_url("::1", 9000) == "http://[::1]:9000"
    assert served_url("127.0.0.1", 9000) == "http://127.0.0.1:9000"


def test_the_contact_form_asks_a_realtime_question_in_the_customers_words(client, cast):
    RealtimeTrigger.objects.filter(key="travel_today").update(
        customer_question="Are you travelling within 24 hours?"
    )

    text = client.get("/contact", {"category": "billing"}).content.decode()

    assert "Are you travelling within 24 hours?" in text
    assert "Is the customer travelling" not in text
    assert 'name="trigger" value="travel_today"' in text
