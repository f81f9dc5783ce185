"""Real SMTP conversations with relaydesk mailin: new cases, replies, attachments, charsets."""

import base64
import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from relaydesk.cases.models import Attachment, Case, EventKind
from relaydesk.intake.models import Quarantine, RawMessage
from relaydesk.outbox.models import OutgoingMail
from tests.mail.conftest import SUPPORT, mail, send
from tests.status_helpers import is_link_of, token_in


def acknowledgement_of(case) -> OutgoingMail:
    return OutgoingMail.objects.get(case=case, event__kind=EventKind.ACKNOWLEDGED)


def test_a_new_message_opens_a_case_for_the_sender_and_acknowledges_it(mailin):
    send(mailin, mail())

    case = Case.objects.get()
    assert case.customer.email == "carla@example.com"
    assert case.customer.name == "Carla Mendes"
    assert case.channel == "email"
    assert case.subject == "Charged twice for my season ticket"
    wrote = case.events.get(kind=EventKind.CUSTOMER_WROTE)
    assert "charged twice on 3 November" in wrote.body
    ack = acknowledgement_of(case)
    assert ack.to == "carla@example.com"
    assert f"[{case.ref}]" in ack.subject
    assert ack.headers["Auto-Submitted"] == "auto-replied"
    assert ack.headers["In-Reply-To"] == RawMessage.objects.get().message_id
    assert ack.headers["Reply-To"].startswith(f"support+rd{case.ref[3:]}.")


def test_the_acknowledgement_on_the_timeline_is_exactly_what_was_sent(mailin):
    send(mailin, mail())

    case = Case.objects.get()
    ack = acknowledgement_of(case)
    event = case.events.get(kind=EventKind.ACKNOWLEDGED)
    token = token_in(ack.body)
    assert event.body == ack.body.replace(token, "•••")  # the link without its token
    assert event.data["subject"] == ack.subject
    assert case.ref in ack.body
    assert "Your problem is real and we will deal with it" in ack.body
    assert is_link_of(case, token)
    assert "by tomorrow" in ack.body or "by today" in ack.body


def test_a_reply_threads_by_our_message_id(mailin):
    send(mailin, mail())
    case = Case.objects.get()
    ack = acknowledgement_of(case)

    send(
        mailin,
        mail(subject="Re: hello", body="Here is my invoice number", In_Reply_To=ack.message_id),
    )

    assert Case.objects.count() == 1
    reply = case.events.filter(kind=EventKind.CUSTOMER_WROTE).last()
    assert reply.body.startswith("Here is my invoice number")
    assert reply.data["via"] == "message_id"


def test_a_reply_threads_by_the_per_case_reply_address(mailin):
    send(mailin, mail())
    case = Case.objects.get()
    reply_to = acknowledgement_of(case).headers["Reply-To"]

    send(mailin, mail(to=reply_to, subject="more", body="One more thing"), to=[reply_to])

    assert Case.objects.count() == 1
    assert case.events.filter(kind=EventKind.CUSTOMER_WROTE).last().data["via"] == "reply_address"


def test_a_reply_address_with_a_wrong_key_opens_nothing_on_that_case(mailin):
    send(mailin, mail())
    case = Case.objects.get()
    forged = f"support+rd{case.ref[3:]}.0000000000000000@relaydesk.localhost"

    send(mailin, mail(sender="mallory@example.net", to=forged, body="I am Carla"), to=[forged])

    assert Case.objects.count() == 2
    assert case.events.filter(kind=EventKind.CUSTOMER_WROTE).count() == 1


def test_a_reply_threads_by_the_subject_tag_from_the_cases_customer(mailin):
    send(mailin, mail())
    case = Case.objects.get()

    send(mailin, mail(subject=f"Re: [{case.ref}] We have your case", body="Thanks!"))

    assert Case.objects.count() == 1
    wrote = case.events.filter(kind=EventKind.CUSTOMER_WROTE).last()
    assert (wrote.data["via"], wrote.data["verified"]) == ("subject_tag", False)  # rule 11


def test_a_subject_tag_from_a_stranger_opens_a_new_case_instead(mailin):
    send(mailin, mail())
    case = Case.objects.get()

    send(mailin, mail(sender="mallory@example.net", subject=f"[{case.ref}] refund me", body="x"))

    assert Case.objects.count() == 2
    new_case = Case.objects.exclude(pk=case.pk).get()
    assert new_case.customer.email == "mallory@example.net"
    wrote = new_case.events.get(kind=EventKind.CUSTOMER_WROTE)
    assert any("not that case's customer" in note for note in wrote.data["notes"])
    assert case.events.filter(kind=EventKind.CUSTOMER_WROTE).count() == 1


def test_headers_only_we_set_have_no_effect_from_outside(mailin):
    send(mailin, mail())
    case = Case.objects.get()

    send(mailin, mail(sender="mallory@example.net", body="x", X_Relaydesk_Ref=case.ref))

    assert Case.objects.count() == 2


def test_the_customers_reply_wakes_the_owner_now(mailin):
    send(mailin, mail())
    case = Case.objects.get()
    before = case.owner.notifications.count()
    ack = acknowledgement_of(case)

    send(
        mailin, mail(subject=f"Re: [{case.ref}]", body="Still waiting", In_Reply_To=ack.message_id)
    )

    case.refresh_from_db()
    assert case.next_tickle_at == case.last_activity_at
    assert case.owner.notifications.count() == before + 1


def test_a_reply_to_a_solved_case_reopens_it_for_the_customer(mailin, mail_cast):
    from relaydesk.cases import actions

    send(mailin, mail())
    case = Case.objects.get()
    actions.solve(case, acting=case.owner, resolution="Refunded", one_off_reason="Bank glitch")
    ack = acknowledgement_of(case)

    send(
        mailin,
        mail(subject=f"Re: [{case.ref}]", body="It happened again", In_Reply_To=ack.message_id),
    )

    case.refresh_from_db()
    assert case.status == "open"
    assert case.events.filter(kind=EventKind.REOPENED).count() == 1


def test_an_attachment_is_kept_under_a_generated_name(mailin):
    message = mail()
    message.add_attachment(
        b"%PDF-1.4 invoice", maintype="application", subtype="pdf", filename="../../invoice.pdf"
    )
    send(mailin, message)

    attachment = Attachment.objects.get()
    assert attachment.original_name == "invoice.pdf"  # a label only: no path (safe_label)
    assert "/" not in attachment.stored_name and "invoice" not in attachment.stored_name
    assert attachment.case == Case.objects.get()
    from relaydesk.intake.mail.attachments import path_of

    assert path_of(attachment).read_bytes() == b"%PDF-1.4 invoice"
    wrote = attachment.case.events.get(kind=EventKind.CUSTOMER_WROTE)
    assert wrote.data["attachments"][0]["name"] == "invoice.pdf"


def test_an_attachment_over_the_limit_is_noted_not_kept(mailin, settings):
    settings.MAIL_MAX_ATTACHMENT_BYTES = 1000
    message = mail()
    message.add_attachment(b"x" * 5000, maintype="application", subtype="zip", filename="big.zip")
    send(mailin, message)

    assert not Attachment.objects.exists()
    wrote = Case.objects.get().events.get(kind=EventKind.CUSTOMER_WROTE)
    assert any("big.zip" in note and "not kept" in note for note in wrote.data["notes"])


def test_html_only_mail_becomes_safe_text(mailin):
    message = mail(body="")
    message.set_content(
        "<html><head><style>p{}</style></head><body><p>Hi&nbsp;there &amp; thanks</p>"
        "<script>alert('x')</script><p>Second <b>line</b></p></body></html>",
        subtype="html",
    )
    send(mailin, message)

    wrote = Case.objects.get().events.get(kind=EventKind.CUSTOMER_WROTE)
    assert wrote.body == "Hi there & thanks\nSecond line"
    assert "The message was HTML only; this is its text." in wrote.data["notes"]
    assert "<" not in wrote.body and "alert" not in wrote.body


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("koi8-r", "Здравствуйте, меня дважды списали"),
        ("iso-8859-2", "Dzień dobry, zapłaciłam dwa razy"),
        ("shift_jis", "二重に請求されました"),
        ("windows-1252", "Ça coûte €20 de trop"),
    ],
)
def test_odd_charsets_are_decoded(mailin, charset, text):
    encoded_subject = base64.b64encode(text.encode(charset)).decode()
    head = (
        "From: Carla <carla@example.com>\r\nTo: support@relaydesk.localhost\r\n"
        f"Subject: =?{charset}?b?{encoded_subject}?=\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset={charset}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    raw = head.encode() + text.encode(charset) + b"\r\n"
    send(mailin, raw, sender="carla@example.com")

    case = Case.objects.get()
    assert case.subject == text
    assert case.events.get(kind=EventKind.CUSTOMER_WROTE).body == text


def test_a_lying_charset_and_a_nul_byte_do_not_crash_intake(mailin):
    raw = (
        b"From: carla@example.com\r\nTo: support@relaydesk.localhost\r\nSubject: caf\xe9\r\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nna\x00ive caf\xe9\r\n"
    )
    send(mailin, raw, sender="carla@example.com")

    case = Case.objects.get()
    assert case.subject == "café"
    assert case.events.get(kind=EventKind.CUSTOMER_WROTE).body == "naive café"
    assert b"\x00" in bytes(RawMessage.objects.get().raw)


def test_the_same_message_delivered_twice_is_stored_twice_and_creates_nothing_new(mailin):
    message = mail(Message_ID="<abc.123@example.com>")
    send(mailin, message)
    send(mailin, message)

    first, again = RawMessage.objects.order_by("id")
    assert Case.objects.count() == 1
    assert (first.outcome, first.case) == ("new_case", Case.objects.get())
    assert (again.state, again.outcome) == ("processed", "duplicate")
    assert (again.duplicate_of, again.case) == (first, first.case)
    assert f"as message {first.pk}, delivered again" in again.outcome_reason
    assert OutgoingMail.objects.filter(event__kind=EventKind.ACKNOWLEDGED).count() == 1
    assert first.case.events.filter(kind=EventKind.CUSTOMER_WROTE).count() == 1


def test_a_redelivery_of_a_quarantined_message_is_a_duplicate_not_a_second_entry(mailin):
    message = mail(Message_ID="<news.7@example.com>", Precedence="bulk")
    send(mailin, message)
    send(mailin, message)

    first, again = RawMessage.objects.order_by("id")
    assert first.outcome == "quarantined"
    assert (again.outcome, again.duplicate_of, again.case) == ("duplicate", first, None)
    assert Quarantine.objects.get().raw_message == first


def test_a_redelivered_bounce_is_recorded_once(mailin):
    from tests.mail.test_loops_and_bounces import dsn_about

    send(mailin, mail())
    ack = OutgoingMail.objects.get(event__kind=EventKind.ACKNOWLEDGED)
    bounce = dsn_about(ack.message_id, "carla@example.com")
    send(mailin, bounce, sender="")
    send(mailin, bounce, sender="")

    assert list(RawMessage.objects.order_by("id").values_list("outcome", flat=True)) == [
        "new_case",
        "bounce",
        "duplicate",
    ]
    assert Case.objects.get().events.filter(kind=EventKind.BOUNCED).count() == 1


def test_the_same_message_with_another_body_is_not_a_duplicate(mailin):
    # A Message-ID alone does not make two messages one (some senders reuse them wrongly).
    send(mailin, mail(Message_ID="<reused@example.com>", subject="First", body="One"))
    send(mailin, mail(Message_ID="<reused@example.com>", subject="Second", body="Two"))

    assert Case.objects.count() == 2
    assert not RawMessage.objects.filter(outcome="duplicate").exists()


def test_the_same_words_again_within_minutes_create_nothing_new(mailin):
    send(mailin, mail(Message_ID="<one@example.com>"))
    send(mailin, mail(Message_ID="<two@example.com>"))

    assert Case.objects.count() == 1
    first, again = RawMessage.objects.order_by("id")
    assert (first.outcome, again.outcome) == ("new_case", "duplicate")
    assert (again.duplicate_of, again.case) == (first, first.case)
    assert "same sender, subject and words" in again.outcome_reason


def test_the_same_words_after_the_window_open_a_new_case(mailin, settings):
    send(mailin, mail(Message_ID="<one@example.com>"))
    later = timezone.now() + timedelta(minutes=settings.MAIL_DUPLICATE_MINUTES + 1)
    with time_machine.travel(later, tick=True):
        send(mailin, mail(Message_ID="<two@example.com>"))

    assert Case.objects.count() == 2


def test_mail_for_another_domain_is_refused_at_rcpt(mailin):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(mailin, mail(to="someone@elsewhere.example"), to=["someone@elsewhere.example"])

    assert refused.value.recipients["someone@elsewhere.example"][0] == 550
    assert not RawMessage.objects.exists()


def test_a_message_over_the_size_limit_is_refused_with_552_before_data(mail_cast, settings):
    from relaydesk.intake.mail.smtp import make_controller

    settings.MAIL_MAX_MESSAGE_BYTES = 10_000
    controller = make_controller("127.0.0.1", 0)
    controller.start()
    try:
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:  # SIZE=… at MAIL FROM
            send(controller, mail(body="x" * 20_000))
        assert refused.value.smtp_code == 552
    finally:
        controller.stop()
    assert not RawMessage.objects.exists()


def test_the_server_answers_451_when_it_cannot_store(mailin, monkeypatch):
    from relaydesk.intake.mail import smtp

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(smtp, "receive", broken)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(mailin, mail())
    assert refused.value.smtp_code == 451


def test_category_follows_the_recipient_address(mailin, mail_cast):
    from tests import factories

    delivery = factories.make_category("delivery", "Delivery")
    delivery.mail_address = "delivery@relaydesk.localhost"
    delivery.save()

    send(mailin, mail(to="delivery@relaydesk.localhost"), to=["delivery@relaydesk.localhost"])

    assert Case.objects.get().category == delivery


def test_support_address_is_the_default(mailin, mail_cast):
    send(mailin, mail(), to=[SUPPORT])
    assert Case.objects.get().category == mail_cast.billing


def test_mail_rules_pick_the_category_by_subject_or_sender_in_their_order(mailin, mail_cast):
    from relaydesk.intake.models import MailRule
    from tests import factories

    delivery = factories.make_category("delivery", "Delivery")
    refunds = factories.make_category("refunds", "Refunds")
    retired = factories.make_category("retired", "Retired")
    retired.active = False
    retired.save()
    MailRule.objects.create(field="subject", text="PARCEL", category=retired, position=0)
    MailRule.objects.create(field="subject", text="parcel", category=delivery, position=1)
    MailRule.objects.create(field="sender", text="@shop.example", category=refunds, position=2)

    send(mailin, mail(subject="Where is my Parcel?", body="One"))
    send(mailin, mail(sender="Bo <bo@shop.example>", subject="Money back", body="Two"))
    send(mailin, mail(sender="Bo <bo@shop.example>", subject="A parcel again", body="Three"))
    send(mailin, mail(subject="Something else", body="Four"))

    assert [c.category.slug for c in Case.objects.order_by("id")] == [
        "delivery",  # the retired category's rule comes first but counts no more
        "refunds",
        "delivery",  # the subject rule comes before the sender rule
        "billing",
    ]


def test_the_configured_default_category_takes_mail_nothing_else_maps(mailin, mail_cast, settings):
    from tests import factories

    factories.make_category("general", "General")
    settings.MAIL_DEFAULT_CATEGORY = "general"

    send(mailin, mail())

    assert Case.objects.get().category.slug == "general"


def test_mail_with_no_active_category_is_quarantined_with_the_reason(mailin, mail_cast):
    from relaydesk.org.models import Category

    Category.objects.update(active=False)

    send(mailin, mail())

    assert not Case.objects.exists()
    assert Quarantine.objects.get().reason == "There is no active category to open a case in."


def test_a_very_long_subject_is_shortened_not_refused(mailin):
    send(mailin, mail(subject="Help " * 100))

    case = Case.objects.get()
    assert len(case.subject) == 200
    assert case.subject.endswith("…")
    assert len(acknowledgement_of(case).subject) <= 300


def raw_conversation(controller, data: bytes) -> tuple[int, bytes]:
    """MAIL, RCPT and DATA by hand (no SIZE announced), as a careless client would."""
    with smtplib.SMTP(controller.hostname, controller.port, timeout=30) as client:
        client.ehlo()
        client.mail("carla@example.com")
        client.rcpt(SUPPORT)
        return client.data(data)


def test_leading_dots_are_unstuffed(mailin):
    body = b".hidden line\r\n..two dots\r\nend\r\n"
    head = b"From: carla@example.com\r\nTo: support@relaydesk.localhost\r\nSubject: dots\r\n\r\n"
    code, _ = raw_conversation(mailin, head + body)

    assert code == 250
    wrote = Case.objects.get().events.get(kind=EventKind.CUSTOMER_WROTE)
    assert wrote.body == ".hidden line\n..two dots\nend"
    assert bytes(RawMessage.objects.get().raw).endswith(body)


def test_too_much_data_is_refused_with_552_after_data(mail_cast, settings):
    from relaydesk.intake.mail.smtp import make_controller

    settings.MAIL_MAX_MESSAGE_BYTES = 10_000
    controller = make_controller("127.0.0.1", 0)
    controller.start()
    try:
        code, _ = raw_conversation(controller, b"Subject: big\r\n\r\n" + b"x" * 100 + b"\r\n" * 200)
        assert code == 250
        code, _ = raw_conversation(
            controller, b"Subject: big\r\n\r\n" + (b"x" * 70 + b"\r\n") * 500
        )
        assert code == 552
    finally:
        controller.stop()
    assert RawMessage.objects.count() == 1


def test_a_line_longer_than_a_megabyte_is_refused_with_500(mailin):
    code, _ = raw_conversation(mailin, b"Subject: long\r\n\r\n" + b"x" * 1_100_000 + b"\r\n")

    assert code == 500
    assert not RawMessage.objects.exists()


def test_a_big_message_is_kept_raw_as_a_file_and_becomes_a_case(mailin, settings):
    settings.MAIL_RAW_FILE_BYTES = 50_000
    message = mail(Message_ID="<big.1@example.com>")
    payload = bytes(range(256)) * 1000
    message.add_attachment(payload, maintype="image", subtype="png", filename="photo.png")
    sent = bytes(message).replace(b"\n", b"\r\n")
    send(mailin, sent, sender="carla@example.com")
    send(mailin, sent, sender="carla@example.com")  # delivered twice

    raw, again = RawMessage.objects.order_by("id")
    assert raw.raw_file and not bytes(raw.raw)
    assert raw.raw_bytes() == sent
    assert (again.raw_file, again.raw_bytes()) == (raw.raw_file, sent)  # one file, same bytes
    assert (again.outcome, again.duplicate_of) == ("duplicate", raw)
    from relaydesk.intake.mail.attachments import path_of

    assert path_of(Attachment.objects.get()).read_bytes() == payload
    assert Case.objects.count() == 1
