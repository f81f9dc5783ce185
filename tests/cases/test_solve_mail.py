"""The solve mail: solving tells the customer what was done, in the owner's words."""

import re

from django.conf import settings
from django.core import mail

from relaydesk.cases import actions
from relaydesk.cases.mail_threads import reply_address
from relaydesk.cases.models import EventKind
from relaydesk.clock.worker import run_due_work
from relaydesk.outbox.models import OutgoingMail
from tests.factories import make_case, make_customer

STATUS_LINK = re.compile(re.escape(settings.BASE_URL) + r"/status/[A-Za-z0-9_-]{22,}")


def test_solving_mails_the_customer_the_resolution_threaded_with_the_status_link(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    acknowledgement = OutgoingMail.objects.get(case=case)

    case = actions.solve(
        case,
        acting=cast.fran,
        resolution="We refunded the second charge of €12.",
        one_off_reason="A typing slip at the till.",
    )

    solved = case.events.get(kind=EventKind.SOLVED)
    queued = OutgoingMail.objects.get(event=solved)
    assert solved.data["mail"] == {
        "to": "carla@example.com",
        "subject": f"[{case.ref}] Charged twice for my season ticket",
        "message_id": queued.message_id,
    }
    run_due_work()
    [sent] = [m for m in mail.outbox if m.message()["Message-ID"] == queued.message_id]
    message = sent.message()
    assert sent.to == ["carla@example.com"]
    assert message["Subject"] == f"[{case.ref}] Charged twice for my season ticket"
    assert message["Reply-To"] == reply_address(case)
    assert message["In-Reply-To"] == acknowledgement.message_id
    assert "We refunded the second charge of €12." in sent.body
    assert "A typing slip" not in sent.body  # the second fix is ours, not the customer's
    assert STATUS_LINK.search(sent.body)
    assert "If anything is still not right, reply to this mail" in sent.body
    assert "/status/" not in solved.body


def test_solving_a_case_of_a_customer_without_email_sends_nothing(cast):
    phoner = make_customer(name="Piet Bel", email="", phone="+31 20 555 0437")
    case = make_case(category=cast.billing, acting=cast.fran, customer=phoner)

    case = actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")

    assert case.events.get(kind=EventKind.SOLVED).data["mail"] is None
    assert not OutgoingMail.objects.filter(case=case).exists()
