"""Every channel opens its case through the one intake action, open_case: the customer found or
created, the files kept, the case opened and the acknowledgement queued, all or nothing."""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from relaydesk.api.tokens import create_token
from relaydesk.cases.models import Attachment, Case, Customer, Event, EventKind
from relaydesk.intake.mail.receive import receive
from relaydesk.org.models import Staff
from relaydesk.outbox.models import OutgoingMail
from tests.api.conftest import Api, open_body
from tests.cases.written import nothing_written
from tests.intake.test_contact_form import form as contact_form
from tests.mail.conftest import mail
from tests.status_helpers import is_link_of, token_in


@pytest.fixture
def api(cast) -> Api:
    """The API as fran, with a real token."""
    _, secret = create_token(cast.fran, name="tests")
    return Api(secret)


def files_on_disk(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


def assert_opened_and_acknowledged(case: Case, email: str) -> None:
    """What open_case writes on every channel: the case for its customer, opened, and the
    acknowledgement queued with the status link, whose token the timeline never keeps."""
    assert case.customer.email == email
    assert list(case.events.values_list("kind", flat=True))[:2] == [
        EventKind.OPENED,
        EventKind.ACKNOWLEDGED,
    ]
    acknowledged = case.events.get(kind=EventKind.ACKNOWLEDGED)
    sent = OutgoingMail.objects.get(event=acknowledged)
    assert (sent.to, sent.automatic) == (email, True)
    token = token_in(sent.body)
    assert is_link_of(case, token)
    assert "/status/•••" in acknowledged.body
    assert token not in acknowledged.body
    assert token not in json.dumps(acknowledged.data)


def test_the_staff_intake_page_opens_its_case_for_a_new_customer(client, cast):
    client.force_login(cast.fran)
    response = client.post(
        "/intake/",
        {
            "customer-name": "Dana Ruiz",
            "customer-email": "Dana@Example.com",
            "category": "billing",
            "subject": "Charged twice",
            "detail_invoice": "INV-7",
        },
    )

    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.owner, case.channel, case.customer.name) == (cast.fran, "phone", "Dana Ruiz")
    assert_opened_and_acknowledged(case, "dana@example.com")


def test_the_contact_form_opens_its_case_with_the_customers_words(client, cast):
    response = client.post("/contact", contact_form())

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == "web"
    assert_opened_and_acknowledged(case, "carla@example.com")
    wrote = case.events.get(kind=EventKind.CUSTOMER_WROTE)
    assert wrote.body.startswith("I was charged twice")
    assert (wrote.data["from"], wrote.data["via"]) == ("carla@example.com", "web")


def test_the_api_opens_its_case_and_its_customer_together(cast, api):
    response = api.post("/cases", open_body())

    assert response.status_code == 201
    case = Case.objects.get()
    assert response.json()["ref"] == case.ref
    assert Customer.objects.get() == case.customer
    assert_opened_and_acknowledged(case, "carla@example.com")


def test_mail_opens_its_case_and_answers_the_message_it_came_from(cast):
    message = mail()

    receive(message.as_bytes(), source="test")

    case = Case.objects.get()
    assert case.channel == "email"
    assert_opened_and_acknowledged(case, "carla@example.com")
    acknowledgement = OutgoingMail.objects.get(event__kind=EventKind.ACKNOWLEDGED)
    assert acknowledgement.headers["In-Reply-To"] == message["Message-ID"]


def test_automatic_mail_opens_its_case_without_an_acknowledgement(cast):
    receive(mail(X_Auto_Response_Suppress="All").as_bytes(), source="test")

    case = Case.objects.get()
    assert not OutgoingMail.objects.filter(to="carla@example.com").exists()
    warning = case.events.get(kind=EventKind.WARNING)
    assert warning.data["acknowledgement"] == "not_sent"


@pytest.mark.parametrize(
    ("changes", "status", "sentence"),
    [
        ({"realtime_triggers": ["volcano"]}, 422, "Billing has no realtime trigger volcano."),
        ({"details": {"amount": "lots"}}, 422, "amount: Enter a number."),
        ({"subject": " \r\n "}, 422, "Write a subject."),
    ],
)
def test_an_api_case_refused_for_its_input_leaves_no_customer(cast, api, changes, status, sentence):
    with nothing_written():
        response = api.post("/cases", open_body(**changes))

    assert response.status_code == status
    assert sentence in response.json()["detail"]


def test_an_api_case_in_a_category_no_longer_taking_cases_leaves_no_customer(cast, api):
    cast.billing.active = False
    cast.billing.save()
    with nothing_written():
        response = api.post("/cases", open_body())

    assert response.status_code == 409
    assert response.json()["detail"] == "Billing is no longer taking new cases."


def test_an_api_case_nobody_can_take_leaves_no_customer(cast, api):
    Staff.objects.update(on_duty=False)

    with nothing_written():
        response = api.post("/cases", open_body())

    assert response.status_code == 409
    assert response.json()["detail"] == "Nobody is on duty to take a Billing case."


def test_a_refused_intake_with_an_upload_keeps_no_customer_no_file_and_no_row(
    client, cast, damage, settings
):
    # An admin without a staff profile may see the staff pages but not act on cases: the
    # action refuses after the page has accepted every answer.
    admin = User.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    photo = SimpleUploadedFile("vase.png", b"png bytes", content_type="image/png")

    with nothing_written():
        response = client.post(
            "/intake/",
            {
                "customer-name": "Dana Ruiz",
                "customer-email": "dana@example.com",
                "category": "damage",
                "subject": "The vase arrived in pieces",
                "detail_photo": photo,
            },
        )

    assert response.status_code == 409
    assert "root is not active staff, so cannot act on cases." in response.content.decode()
    assert not Attachment.objects.exists()
    assert files_on_disk(settings) == []
    assert not Event.objects.exists()
