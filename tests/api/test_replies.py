"""POST /api/v1/cases/{ref}/replies: a reply to the customer over HTTP (rule 10)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from relaydesk.cases import actions
from relaydesk.cases.models import Attachment, Event, EventKind
from relaydesk.outbox.models import OutgoingMail
from tests.factories import make_case, make_customer


def test_a_reply_is_201_with_the_event_and_the_queued_mail(cast, api_as):
    case = make_case(category=cast.billing, acting=cast.fran)

    answered = api_as(cast.fran).post(
        f"/cases/{case.ref}/replies", {"body": "We refunded it.", "send_anyway": True}
    )

    assert answered.status_code == 201, answered.json()
    body = answered.json()
    event = Event.objects.get(kind=EventKind.REPLIED)
    queued = OutgoingMail.objects.get(event=event)
    assert body == {
        "id": event.pk,
        "at": body["at"],
        "body": "We refunded it.",
        "send_anyway": True,
        "waiting": False,
        "message_id": queued.message_id,
    }
    assert queued.to == "carla@example.com"


def test_send_anyway_is_false_unless_asked(cast, api_as):
    case = make_case(category=cast.billing, acting=cast.fran)

    answered = api_as(cast.sam).post(f"/cases/{case.ref}/replies", {"body": "On it."})

    assert answered.status_code == 201, answered.json()
    assert answered.json()["send_anyway"] is False


def test_the_case_shows_the_reply_among_its_events(cast, api_as):
    case = make_case(category=cast.billing, acting=cast.fran)
    actions.reply(case, acting=cast.fran, body="We refunded it.")

    read = api_as(cast.sam).get(f"/cases/{case.ref}")

    [replied] = [event for event in read.json()["events"] if event["kind"] == "replied"]
    assert (replied["actor"], replied["body"]) == ("fran", "We refunded it.")
    assert replied["data"]["to"] == "c•••@example.com"  # rule 15: sam is not the owner
    owners = api_as(cast.fran).get(f"/cases/{case.ref}").json()["events"]
    assert [e["data"]["to"] for e in owners if e["kind"] == "replied"] == ["carla@example.com"]


def test_the_case_carries_its_conversation_in_three_voices_oldest_first(cast, api_as):
    case = make_case(category=cast.billing, acting=cast.fran)
    actions.reply(
        case,
        acting=cast.fran,
        body="Which card did you pay with?",
        waiting=True,
        files=[SimpleUploadedFile("form.pdf", b"%PDF-1.4 refund form", "application/pdf")],
    )
    actions.customer_wrote(case, body="The Visa ending 42.", via="status page")
    actions.customer_wrote(case, body="I am Carla, honest.", sender="x@evil.test", verified=False)
    actions.add_note(case, acting=cast.fran, body="Visa refunds take 3 days.")

    conversation = api_as(cast.sam).get(f"/cases/{case.ref}").json()["conversation"]

    assert [
        (m["voice"], m["by"], m["body"], m["verified"], m["waiting"]) for m in conversation
    ] == [
        ("reply", "fran", "Which card did you pay with?", True, True),
        ("customer", "customer", "The Visa ending 42.", True, False),
        ("customer", "customer", "I am Carla, honest.", False, False),
        ("note", "fran", "Visa refunds take 3 days.", True, False),
    ]
    [form] = Attachment.objects.filter(case=case)
    assert conversation[0]["files"] == [{"id": form.pk, "name": "form.pdf"}]
    assert all(message["files"] == [] for message in conversation[1:])


def test_a_closed_case_is_409_and_nothing_is_queued(cast, api_as):
    case = make_case(category=cast.billing, acting=cast.fran)
    case = actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")
    actions.close(case, acting=None)
    queued = OutgoingMail.objects.count()

    answered = api_as(cast.fran).post(f"/cases/{case.ref}/replies", {"body": "And another."})

    assert answered.status_code == 409
    assert answered.json()["detail"] == (
        f"{case.ref} is closed; reopen it first to write to the customer."
    )
    assert OutgoingMail.objects.count() == queued


def test_a_customer_without_email_is_409(cast, api_as):
    phoner = make_customer(name="Piet Bel", email="", phone="+31 20 555 0437")
    case = make_case(category=cast.billing, acting=cast.fran, customer=phoner)

    answered = api_as(cast.fran).post(f"/cases/{case.ref}/replies", {"body": "Hello."})

    assert answered.status_code == 409
    assert answered.json()["detail"] == "Piet Bel has no email address; call them instead."


@pytest.mark.parametrize(
    "payload",
    [
        {"body": ""},
        {"body": "   "},
        {"body": "x" * 20_001},
        {},
        {"body": "Hi", "send_anyway": "perhaps"},
        {"body": "Hi", "to": "someone@example.org"},
        {"body": "Hi\x00"},
    ],
)
def test_bad_replies_are_422_with_a_reason(cast, api_as, payload):
    case = make_case(category=cast.billing, acting=cast.fran)

    answered = api_as(cast.fran).post(f"/cases/{case.ref}/replies", payload)

    assert answered.status_code == 422, answered.json()
    assert answered.json()["detail"]
    assert not Event.objects.filter(kind=EventKind.REPLIED).exists()


def test_an_unknown_case_is_404(cast, api_as):
    answered = api_as(cast.fran).post("/cases/RD-999999/replies", {"body": "Hello."})

    assert answered.status_code == 404


def test_the_owners_reply_can_wait_for_the_customers_answer(cast, api_as):
    case = make_case(category=cast.billing, acting=cast.fran)

    answered = api_as(cast.fran).post(
        f"/cases/{case.ref}/replies", {"body": "Which card did you use?", "waiting": True}
    )

    assert answered.status_code == 201, answered.json()
    assert answered.json()["waiting"] is True
    shown = api_as(cast.fran).get(f"/cases/{case.ref}").json()
    assert shown["waiting_since"] == answered.json()["at"]


def test_only_the_owner_can_make_a_case_wait(cast, api_as):
    case = make_case(category=cast.billing, acting=cast.fran)

    refused = api_as(cast.sam).post(
        f"/cases/{case.ref}/replies", {"body": "Which card did you use?", "waiting": True}
    )

    assert refused.status_code == 409
    assert refused.json() == {
        "detail": f"Only the owner can mark {case.ref} waiting for the customer; "
        "it is owned by Fran Okafor."
    }
    assert not Event.objects.filter(kind=EventKind.REPLIED).exists()
