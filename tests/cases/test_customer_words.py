"""The words the customer reads in our mail are the company's (issue 13, part 8): the
acknowledgement, the reply wrapper and the solve mail, with safe placeholders."""

import re
from email import message_from_bytes, policy

from django.conf import settings
from django.core import mail

from relaydesk.cases import actions
from relaydesk.cases.words import promise_words
from relaydesk.clock.worker import run_due_work
from relaydesk.org.models import CustomerWords
from tests.factories import make_case, make_customer

STATUS_LINK = re.compile(re.escape(settings.BASE_URL) + r"/status/[A-Za-z0-9_-]{22,}")
FOOTER = (
    "\n\n-- \n"
    "Follow your case {ref} here: {link}\n"
    "Reply to this mail to answer us; keep {ref} in the subject.\n"
)


def mailed(address: str = "carla@example.com") -> list:
    """Every mail the worker's outbox step handed to the mail backend for `address`, as sent."""
    run_due_work()
    return [m for m in mail.outbox if m.to == [address]]


def as_sent(message) -> object:
    """The message as its bytes went out, parsed again (what the customer's server reads)."""
    return message_from_bytes(message.message().as_bytes(), policy=policy.default)


def test_without_words_of_its_own_the_company_sends_our_warm_defaults_unchanged(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    actions.reply(case, acting=cast.fran, body="We refunded the second charge.")
    actions.solve(case, acting=cast.fran, resolution="Refunded €12.", one_off_reason="A slip.")

    acknowledged, replied, solved = mailed()

    promise = promise_words(case.deadline, time_zone="Europe/Amsterdam", now=case.opened_at)
    link = STATUS_LINK.search(acknowledged.body).group(0)
    assert acknowledged.subject == f"[{case.ref}] We have your case: {case.subject}"
    assert acknowledged.body == (
        "Dear Carla Mendes,\n\n"
        "Thank you for telling us about this. Your problem is real and we will deal with it: "
        f"your case is {case.ref} and you will have our answer {promise}.\n\n"
        f"You can follow your case, add to it or reply at any time here:\n{link}\n\n"
        f"Or simply reply to this email; keep {case.ref} in the subject.\n"
    )
    link = STATUS_LINK.search(replied.body).group(0)
    footer = FOOTER.format(ref=case.ref, link=link)
    assert replied.body == "We refunded the second charge." + footer
    link = STATUS_LINK.search(solved.body).group(0)
    assert solved.body == (
        "Dear Carla Mendes,\n\n"
        f"Your case {case.ref} is solved. This is what we did:\n\n"
        "Refunded €12.\n\n"
        "If anything is still not right, reply to this mail or use the link below; "
        "we reopen your case.\n\n"
        "How did we do? On your case's page (the link below) you can rate our help from 1 "
        "to 5 and tell us what delighted you and what we should fix: two minutes, once. "
        "Opening the link records nothing; only your answer does."
        + FOOTER.format(ref=case.ref, link=link)
    )


def test_the_companys_acknowledgement_is_the_one_the_customer_gets(cast):
    CustomerWords.objects.create(
        name="acknowledgement",
        text="Hi {first_name}! {company} has {ref} ({subject}); answer {promise}.\n"
        "Follow it: {status_link}\nBraces stay braces: {{ref}}\n",
    )
    CustomerWords.objects.create(name="acknowledgement_subject", text="{company} has it: {ref}")

    case = make_case(category=cast.billing, acting=cast.fran)

    [acknowledged] = mailed()
    promise = promise_words(case.deadline, time_zone="Europe/Amsterdam", now=case.opened_at)
    link = STATUS_LINK.search(acknowledged.body).group(0)
    assert acknowledged.subject == f"[{case.ref}] Acme Rail has it: {case.ref}"
    assert acknowledged.body == (
        f"Hi Carla! Acme Rail has {case.ref} (Charged twice for my season ticket); "
        f"answer {promise}.\nFollow it: {link}\nBraces stay braces: {{ref}}\n"
    )
    acknowledged_event = case.events.get(kind="acknowledged")
    assert link not in acknowledged_event.body  # the event keeps the mail without the secret


def test_the_companys_reply_wrapper_goes_around_what_staff_wrote(cast):
    CustomerWords.objects.create(
        name="reply",
        text="Dear {first_name},\n\n{reply}\n\nWarm regards,\n{writer} of {company}\n"
        "Your case: {status_link}\n",
    )
    case = make_case(category=cast.billing, acting=cast.fran)

    actions.reply(case, acting=cast.fran, body="We refunded the second charge.")

    replied = mailed()[-1]
    link = STATUS_LINK.search(replied.body).group(0)
    assert replied.body == (
        "Dear Carla,\n\nWe refunded the second charge.\n\nWarm regards,\nFran of Acme Rail\n"
        f"Your case: {link}\n"
    )
    assert "Okafor" not in replied.body  # staff sign with their first name only


def test_the_companys_solve_mail_tells_what_was_done(cast):
    CustomerWords.objects.create(
        name="solve",
        text="{first_name}, {ref} is done:\n{resolution}\n{writer}\nRate us: {status_link}\n",
    )
    case = make_case(category=cast.billing, acting=cast.fran)

    actions.solve(case, acting=cast.fran, resolution="Refunded €12.", one_off_reason="A slip.")

    solved = mailed()[-1]
    link = STATUS_LINK.search(solved.body).group(0)
    assert solved.body == f"Carla, {case.ref} is done:\nRefunded €12.\nFran\nRate us: {link}\n"


def test_placeholders_in_what_the_customer_and_staff_wrote_are_put_in_literally(cast):
    CustomerWords.objects.create(
        name="reply", text="Hello {name} about {subject}:\n{reply}\n{status_link}\n"
    )
    CustomerWords.objects.create(name="acknowledgement_subject", text="{subject} for {name}")
    crafty = make_customer(name="Ann {ref}\r\nBcc: mallory@evil.example")
    subject = "Refund {status_link}\r\nBcc: mallory@evil.example"
    case = make_case(category=cast.billing, acting=cast.fran, customer=crafty, subject=subject)

    actions.reply(case, acting=cast.fran, body="See {status_link} and {ref.__class__} {0} {")

    acknowledged, replied = mailed()
    assert replied.body.startswith(
        "Hello Ann {ref} Bcc: mallory@evil.example about "
        "Refund {status_link} Bcc: mallory@evil.example:\n"
        "See {status_link} and {ref.__class__} {0} {\n"
    )
    for sent in (acknowledged, replied):
        message = as_sent(sent)
        assert message["Bcc"] is None
        assert message.get_all("To") == ["carla@example.com"]
        assert sent.recipients() == ["carla@example.com"]
        assert "\n" not in str(message["Subject"]) and "\r" not in str(message["Subject"])
    assert str(as_sent(acknowledged)["Subject"]) == (
        f"[{case.ref}] Refund {{status_link}} Bcc: mallory@evil.example for "
        "Ann {ref} Bcc: mallory@evil.example"
    )


def test_a_text_written_past_the_checks_is_not_used_and_ours_is(cast):
    CustomerWords.objects.create(name="acknowledgement", text="Hi {name.__class__}: {ref}")

    case = make_case(category=cast.billing, acting=cast.fran)

    [acknowledged] = mailed()
    assert acknowledged.body.startswith("Dear Carla Mendes,\n\nThank you for telling us")
    assert "__class__" not in acknowledged.body
    assert case.ref in acknowledged.body
