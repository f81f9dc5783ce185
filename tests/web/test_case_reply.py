"""The case page's conversation: the reply box, and the customer's words, our replies and
internal notes told apart."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from relaydesk.cases import actions
from relaydesk.cases.models import Attachment, EventKind
from relaydesk.outbox.models import OutgoingMail
from tests import factories
from tests.cases.written import nothing_written
from tests.web.conftest import HTMX


def _case(cast, **kwargs):
    return factories.make_case(category=cast.billing, acting=cast.fran, **kwargs)


def _voices(html: str) -> list[tuple[str, str]]:
    """(voice class, visible label) of each conversation line, in page order."""
    return re.findall(
        r'<li class="event-\w+ voice voice-(\w+)">\s*<span class="voice-label"[^>]*>([^<]+)<',
        html,
    )


def test_the_timeline_tells_the_customer_our_replies_and_notes_apart(signed_in, cast):
    case = _case(cast)
    actions.customer_wrote(case, body="It happened again this morning.", via="email")
    actions.reply(case, acting=cast.fran, body="We are refunding both charges.")
    actions.add_note(case, acting=cast.fran, body="Bank confirms the double charge.")

    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()

    assert _voices(html) == [
        ("customer", "Customer"),
        ("reply", "Reply to customer"),
        ("note", "Internal note"),
    ]
    for words in (
        "It happened again this morning.",
        "We are refunding both charges.",
        "Bank confirms the double charge.",
    ):
        assert words in html
    assert "Fran Okafor replied to the customer" in html
    assert html.count('class="event-') == case.events.count()  # the other events too


def test_the_reply_box_sends_the_reply_and_returns_the_case_body(
    signed_in, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = _case(cast)
    page = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()
    assert f'hx-post="/cases/{case.ref}/reply/"' in page and "Send to the customer" in page

    response = signed_in(cast.fran).post(
        f"/cases/{case.ref}/reply/",
        {
            "reply-body": "The refund receipt is attached.",
            "reply-files": [SimpleUploadedFile("receipt.pdf", b"%PDF receipt", "application/pdf")],
        },
        headers=HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="case-body">')
    assert "Your reply is on its way to the customer." in html
    replied = case.events.get(kind=EventKind.REPLIED)
    assert (replied.actor, replied.body) == (cast.fran, "The refund receipt is attached.")
    receipt = Attachment.objects.get(case=case)
    assert OutgoingMail.objects.get(event=replied).attachments[0]["name"] == "receipt.pdf"
    assert f'href="/mail/attachments/{receipt.pk}/"' in html


def test_without_htmx_the_reply_redirects_back_to_the_case(signed_in, cast):
    case = _case(cast)

    response = signed_in(cast.sam).post(f"/cases/{case.ref}/reply/", {"reply-body": "Hello."})

    assert response.status_code == 302 and response["Location"] == f"/cases/{case.ref}/"
    assert case.events.filter(kind=EventKind.REPLIED, actor=cast.sam).exists()


def test_an_empty_reply_is_a_field_error_and_writes_nothing(signed_in, cast):
    case = _case(cast)

    with nothing_written(case):
        response = signed_in(cast.fran).post(
            f"/cases/{case.ref}/reply/", {"reply-body": "  "}, headers=HTMX
        )

    assert response.status_code == 422
    assert 'class="field-error"' in response.content.decode()


def test_a_file_over_the_limit_is_refused_with_the_reason_and_the_words_are_kept(
    signed_in, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.MAIL_MAX_ATTACHMENT_BYTES = 4
    case = _case(cast)

    with nothing_written(case):
        response = signed_in(cast.fran).post(
            f"/cases/{case.ref}/reply/",
            {
                "reply-body": "See the photo.",
                "reply-files": [SimpleUploadedFile("photo.jpg", b"12345", "image/jpeg")],
            },
            headers=HTMX,
        )

    assert response.status_code == 422
    html = response.content.decode()
    assert "photo.jpg: This file is too large: files are limited to 4 bytes." in html
    assert "See the photo.</textarea>" in html


def test_a_closed_case_offers_no_reply_box_and_refuses_a_posted_reply(signed_in, cast):
    case = _case(cast)
    case = actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")
    case = actions.close(case, acting=None)
    client = signed_in(cast.fran)

    assert 'data-testid="reply-form"' not in client.get(f"/cases/{case.ref}/").content.decode()
    with nothing_written(case):
        response = client.post(f"/cases/{case.ref}/reply/", {"reply-body": "Hi."}, headers=HTMX)

    assert response.status_code == 409
    assert "is closed; reopen it first to write to the customer." in response.content.decode()


def test_a_customer_without_email_gets_a_sentence_instead_of_the_box(signed_in, cast):
    phoner = factories.make_customer(name="Piet Bel", email="", phone="+31 20 555 0437")
    case = _case(cast, customer=phoner)

    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()

    assert 'data-testid="reply-form"' not in html
    assert "Piet Bel has no email address; call them instead." in html


def test_a_conversation_keeps_the_page_query_count(
    signed_in, cast, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    case = _case(cast)
    for i in range(15):
        actions.customer_wrote(case, body=f"customer {i}", via="email")
        photo = SimpleUploadedFile(f"p{i}.jpg", b"jpeg", "image/jpeg")
        actions.reply(case, acting=cast.fran, body=f"reply {i}", files=[photo])
        actions.add_note(case, acting=cast.sam, body=f"note {i}")
    client = signed_in(cast.fran)

    # 15 with the owner's access-log row (rule 15: a whole view of the contact details is logged)
    with django_assert_max_num_queries(15):
        html = client.get(f"/cases/{case.ref}/").content.decode()

    assert len(_voices(html)) == 45


def test_a_solve_says_the_customer_was_mailed_the_resolution(signed_in, cast):
    case = _case(cast)
    actions.solve(
        case, acting=cast.fran, resolution="Refunded both charges.", one_off_reason="Typo"
    )

    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()

    assert "Fran Okafor solved it (one-off: Typo); the customer was mailed the resolution" in html


def test_mail_that_only_claims_to_be_the_customers_is_labelled_unverified(signed_in, cast):
    case = _case(cast)
    actions.customer_wrote(case, body="Close my account.", via="email", verified=False)

    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()

    assert _voices(html) == [("customer", "Customer? (unverified)")]
