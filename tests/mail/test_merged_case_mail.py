"""After a merge, the customer's mail about the duplicate lands on the kept case: real SMTP
to relaydesk mailin, sent to the duplicate's reply address or answering its Message-ID."""

import pytest

from relaydesk.cases import actions
from relaydesk.cases.models import Case, EventKind, Status
from relaydesk.outbox.models import OutgoingMail
from tests.mail.conftest import mail, send


@pytest.fixture
def merged(mailin, mail_cast):
    """Carla wrote twice about the same charge; fran merges the second case into the first."""
    send(mailin, mail(subject="Charged twice", body="Charged twice on 3 November."))
    send(mailin, mail(subject="Double charge!!", body="Why did you take it twice?"))
    kept, duplicate = Case.objects.order_by("id")
    actions.merge_cases(duplicate, into=kept, acting=kept.owner)
    return kept, duplicate


def acknowledgement_of(case: Case) -> OutgoingMail:
    return OutgoingMail.objects.get(case=case, event__kind=EventKind.ACKNOWLEDGED)


def last_words(case: Case):
    return case.events.filter(kind=EventKind.CUSTOMER_WROTE).order_by("id").last()


def test_mail_to_the_duplicates_reply_address_lands_on_the_kept_case(mailin, merged):
    kept, duplicate = merged
    reply_to = acknowledgement_of(duplicate).headers["Reply-To"]
    before = last_words(duplicate).pk

    send(mailin, mail(to=reply_to, subject="Re: Double charge!!", body="Any news?"), to=[reply_to])

    assert Case.objects.count() == 2  # no new case
    words = last_words(kept)
    assert words.body.startswith("Any news?")
    assert (words.data["via"], words.data["verified"]) == ("reply_address", True)
    assert last_words(duplicate).pk == before
    assert Case.objects.get(pk=duplicate.pk).status == Status.MERGED


def test_an_answer_to_the_duplicates_acknowledgement_lands_on_the_kept_case(mailin, merged):
    kept, duplicate = merged
    ack = acknowledgement_of(duplicate)

    send(mailin, mail(subject="Re: hello", body="Still waiting", In_Reply_To=ack.message_id))

    assert Case.objects.count() == 2
    words = last_words(kept)
    assert (words.body.startswith("Still waiting"), words.data["via"]) == (True, "message_id")
    assert kept.owner.notifications.filter(text=f"The customer wrote on {kept.ref}").exists()


def test_the_customer_was_told_once_about_the_merge(mailin, merged):
    kept, duplicate = merged

    told = OutgoingMail.objects.filter(event__kind=EventKind.MERGED_FROM)
    assert [(m.case_id, m.to) for m in told] == [(kept.pk, "carla@example.com")]
    assert OutgoingMail.objects.filter(case=duplicate).count() == 1  # its acknowledgement only
