"""The quarantine: leads see why each message is held, and retry, attach or discard it."""

import pytest

from relaydesk.api.tokens import create_token
from relaydesk.cases.models import Attachment, Case, EventKind
from relaydesk.intake.mail.receive import receive
from relaydesk.intake.models import Quarantine, QuarantineAudit, RawMessage
from relaydesk.org.models import Staff
from tests import factories
from tests.api.conftest import Api

NEWSLETTER = (
    b"From: Shop <news@shop.example>\r\nTo: support@relaydesk.localhost\r\n"
    b"Subject: Our summer sale\r\nMessage-ID: <sale.1@shop.example>\r\nPrecedence: bulk\r\n\r\n"
    b"Everything must go.\r\n"
)


@pytest.fixture
def held(cast):
    receive(NEWSLETTER, source="test")
    return Quarantine.objects.get()


def test_a_lead_sees_held_messages_with_their_reason(client, cast, held):
    client.force_login(cast.mia)

    page = client.get("/mail/quarantine/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "news@shop.example" in text
    assert "Our summer sale" in text
    assert "automatic message (Precedence: bulk)" in text


def test_the_quarantine_page_is_for_leads_only(client, cast, held):
    client.force_login(cast.fran)
    assert client.get("/mail/quarantine/").status_code == 403


def test_the_quarantine_page_needs_a_sign_in(client, cast, held):
    assert client.get("/mail/quarantine/").status_code == 302


def test_the_quarantine_page_has_a_fixed_number_of_queries(
    client, cast, django_assert_max_num_queries
):
    for number in range(10):
        receive(NEWSLETTER.replace(b"sale.1", f"sale.{number + 2}".encode()), source="test")
    client.force_login(cast.mia)
    with django_assert_max_num_queries(8):
        page = client.get("/mail/quarantine/")
    assert page.content.decode().count("Our summer sale") == 10


def test_discarding_needs_a_reason_and_leaves_an_audit_row(client, cast, held):
    client.force_login(cast.mia)

    refused = client.post(f"/mail/quarantine/{held.pk}/", {"action": "discard", "why": ""})
    assert refused.status_code == 422
    assert "Say why it is discarded." in refused.content.decode()

    done = client.post(f"/mail/quarantine/{held.pk}/", {"action": "discard", "why": "spam"})
    assert done.status_code == 302
    held.refresh_from_db()
    assert held.status == "discarded"
    audit = QuarantineAudit.objects.get(quarantine=held)
    assert (audit.action, audit.actor, audit.note) == ("discarded", cast.mia, "spam")
    assert RawMessage.objects.get().outcome == "discarded"
    assert "Our summer sale" not in client.get("/mail/quarantine/").content.decode()


def test_attaching_puts_the_words_on_the_case(client, cast, held):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    client.force_login(cast.mia)

    done = client.post(f"/mail/quarantine/{held.pk}/", {"action": "attach", "ref": case.ref})

    assert done.status_code == 302
    event = case.events.get(kind=EventKind.MAIL_ATTACHED)
    assert event.actor == cast.mia
    assert event.body == "Everything must go."
    assert event.data["from"] == "news@shop.example"
    held.refresh_from_db()
    assert (held.status, held.case) == ("attached", case)
    assert QuarantineAudit.objects.get(quarantine=held).note == case.ref


def test_attaching_to_a_case_that_does_not_exist_says_so(client, cast, held):
    client.force_login(cast.mia)
    refused = client.post(f"/mail/quarantine/{held.pk}/", {"action": "attach", "ref": "RD-99999"})
    assert refused.status_code == 409
    assert "There is no case RD-99999." in refused.content.decode()


def test_retry_processes_again_once_the_cause_is_gone(client, cast):
    Staff.objects.update(on_duty=False)
    receive(
        b"From: carla@example.com\r\nTo: support@relaydesk.localhost\r\n"
        b"Subject: Help\r\n\r\nHi\r\n",
        source="test",
    )
    held = Quarantine.objects.get()
    assert "Nobody is on duty" in held.reason
    Staff.objects.update(on_duty=True)
    client.force_login(cast.mia)

    done = client.post(f"/mail/quarantine/{held.pk}/", {"action": "retry"})

    assert done.status_code == 302
    assert Case.objects.get().subject == "Help"
    held.refresh_from_db()
    assert held.status == "retried"
    assert RawMessage.objects.get().outcome == "new_case"


def test_a_message_can_be_handled_only_once(client, cast, held):
    client.force_login(cast.mia)
    client.post(f"/mail/quarantine/{held.pk}/", {"action": "discard", "why": "spam"})
    again = client.post(f"/mail/quarantine/{held.pk}/", {"action": "retry"})
    assert again.status_code == 409
    assert "already discarded" in again.content.decode()


def test_the_api_lists_held_messages_for_leads(cast, held):
    _, secret = create_token(cast.mia, name="tests")
    answer = Api(secret).get("/mail/quarantine")

    assert answer.status_code == 200
    (item,) = answer.json()
    assert item["id"] == held.pk
    assert item["sender"] == "news@shop.example"
    assert item["subject"] == "Our summer sale"
    assert "Precedence: bulk" in item["reason"]
    assert set(item) == {"id", "received_at", "sender", "subject", "reason"}


def test_the_api_refuses_frontline_and_strangers(cast, held):
    _, secret = create_token(cast.fran, name="tests")
    assert Api(secret).get("/mail/quarantine").status_code == 403
    assert Api(None).get("/mail/quarantine").status_code == 401


def test_an_attachment_downloads_only_for_staff_and_never_inline(client, cast):
    receive(
        b"From: carla@example.com\r\nTo: support@relaydesk.localhost\r\nSubject: See file\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nAttached.\r\n"
        b"--b\r\nContent-Type: text/html\r\nContent-Disposition: attachment; "
        b"filename*=UTF-8''r%C3%A9sum%C3%A9%22%3B.html\r\n\r\n<script>alert(1)</script>\r\n"
        b"--b--\r\n",
        source="test",
    )
    attachment = Attachment.objects.get()
    assert attachment.original_name == 'résumé";.html'

    assert client.get(f"/mail/attachments/{attachment.pk}/").status_code == 302
    client.force_login(cast.fran)
    response = client.get(f"/mail/attachments/{attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"r_sum___.html\"; filename*=UTF-8''r%C3%A9sum%C3%A9%22%3B.html"
    )
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


def test_the_api_list_has_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for number in range(10):
        receive(NEWSLETTER.replace(b"sale.1", f"sale.{number + 2}".encode()), source="test")
    _, secret = create_token(cast.mia, name="tests")
    api = Api(secret)
    with django_assert_max_num_queries(10):
        answer = api.get("/mail/quarantine")
    assert len(answer.json()) == 10
