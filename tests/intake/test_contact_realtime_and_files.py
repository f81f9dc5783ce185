"""The contact form asks the category's realtime questions and takes its files."""

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client

from relaydesk.cases.models import Attachment, Case, Customer, EventKind
from relaydesk.intake.models import ContactAttempt
from relaydesk.org.models import Staff
from tests.intake.test_contact_form import form


def files_on_disk(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


def damage_form(**overrides) -> dict:
    data = form(category="damage", detail_invoice=None, detail_amount=None)
    data["detail_photo"] = SimpleUploadedFile("crack.jpg", b"jpeg bytes", content_type="image/jpeg")
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_choosing_a_category_shows_its_realtime_questions(client, cast):
    text = client.get("/contact", {"category": "billing"}).content.decode()

    assert 'data-testid="realtime-questions"' in text
    assert "Is the customer travelling within 24 hours?" in text
    assert 'name="trigger" value="travel_today"' in text
    assert 'enctype="multipart/form-data"' in text


def test_a_yes_puts_the_case_in_the_realtime_lane_and_the_customer_is_told(client, cast):
    answer = client.post("/contact", form(trigger="travel_today"))

    assert answer.status_code == 302
    case = Case.objects.get()
    assert case.realtime is True
    assert case.deadline == case.opened_at + timedelta(hours=1)
    opened = case.events.get(kind=EventKind.OPENED)
    assert opened.data["realtime_triggers"] == ["travel_today"]
    thanks = client.get(answer["Location"]).content.decode()
    assert "Your case is urgent: we will handle it within the hour." in thanks


def test_no_yes_keeps_the_case_in_the_ordinary_lane(client, cast):
    answer = client.post("/contact", form())

    case = Case.objects.get()
    assert case.realtime is False
    assert case.deadline == case.opened_at + timedelta(hours=20)
    assert "urgent" not in client.get(answer["Location"]).content.decode()


def test_an_unknown_realtime_answer_is_a_field_error_not_a_case(client, cast):
    answer = client.post("/contact", form(trigger=["travel_today", "free_money"]))

    assert answer.status_code == 422
    text = answer.content.decode()
    assert "Answer only the questions shown here." in text
    assert 'value="travel_today" checked' in text  # the real answer is kept
    assert not Case.objects.exists()


def test_a_file_sent_with_the_form_is_kept_with_the_case(client, cast, damage, settings):
    answer = client.post("/contact", damage_form())

    assert answer.status_code == 302
    case = Case.objects.get()
    attachment = Attachment.objects.get()
    assert attachment.case == case
    assert case.details == {"photo": {"attachment": attachment.pk, "name": "crack.jpg"}}
    [on_disk] = files_on_disk(settings)
    assert on_disk.name == attachment.stored_name and on_disk.read_bytes() == b"jpeg bytes"


def test_a_required_file_that_is_missing_is_a_field_error(client, cast, damage, settings):
    answer = client.post("/contact", damage_form(detail_photo=None))

    assert answer.status_code == 422
    assert "Please attach this file." in answer.content.decode()
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_a_field_error_naming_the_limit(client, cast, damage, settings):
    settings.MAIL_MAX_ATTACHMENT_BYTES = 5

    answer = client.post("/contact", damage_form())

    assert answer.status_code == 422
    assert "This file is too large: files are limited to 5 bytes." in answer.content.decode()
    assert not Case.objects.exists()
    assert files_on_disk(settings) == []


def test_a_refused_opening_keeps_neither_the_file_row_nor_the_file(client, cast, damage, settings):
    Staff.objects.update(on_duty=False)  # nobody to route a web case to: open_case refuses

    answer = client.post("/contact", damage_form())

    assert answer.status_code == 409
    assert "Nobody is on duty" in answer.content.decode()
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()
    assert files_on_disk(settings) == []


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_forms_with_files_sent_at_once_each_keep_their_own_case_and_file(cast, damage, settings):
    senders = 6
    barrier = threading.Barrier(senders)
    answers: dict[int, object] = {}

    def send(number):
        try:
            photo = SimpleUploadedFile(f"crack{number}.jpg", f"photo {number}".encode())
            data = damage_form(email=f"sender{number}@example.com", detail_photo=photo)
            barrier.wait(10)
            answers[number] = Client().post("/contact", data).status_code
        except Exception as error:  # noqa: BLE001 - asserted below
            answers[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(n,), daemon=True) for n in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert answers == dict.fromkeys(range(senders), 302)
    on_disk = {path.name: path.read_bytes() for path in files_on_disk(settings)}
    for case in Case.objects.select_related("customer"):
        number = int(case.customer.email.removeprefix("sender").split("@")[0])
        attachment = Attachment.objects.get(case=case)
        assert case.details["photo"] == {"attachment": attachment.pk, "name": f"crack{number}.jpg"}
        assert on_disk.pop(attachment.stored_name) == f"photo {number}".encode()
    assert Case.objects.count() == senders
    assert on_disk == {}  # no file without its case


def test_when_nobody_can_take_the_case_the_sender_is_told_and_nothing_is_kept(
    client, cast, damage, settings
):
    Staff.objects.update(on_duty=False)

    answer = client.post("/contact", damage_form())

    assert answer.status_code == 409
    assert "We could not take your message just now: Nobody is on duty" in answer.content.decode()
    assert not Case.objects.exists()
    assert not Customer.objects.exists() and not ContactAttempt.objects.exists()
    assert files_on_disk(settings) == []  # the photo went with the refusal
