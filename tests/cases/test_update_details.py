"""update_details: completing or correcting intake facts, each change recorded old → new."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import Attachment, EventKind
from tests.cases.written import deactivated, nothing_written
from tests.factories import make_case


def test_a_missing_detail_is_completed_with_its_old_and_new_value(cast):
    case = make_case(category=cast.billing, acting=cast.fran, details={})

    event = actions.update_details(case, acting=cast.fran, details={"invoice": "INV-9"})

    assert (event.kind, event.actor) == (EventKind.FIELD_CHANGED, cast.fran)
    assert event.data == {"changes": {"invoice": {"old": None, "new": "INV-9"}}}
    case.refresh_from_db()
    assert case.details == {"invoice": "INV-9"}


def test_a_detail_is_corrected_and_another_cleared(cast):
    case = make_case(
        category=cast.billing, acting=cast.fran, details={"invoice": "INV-1", "amount": 5}
    )

    event = actions.update_details(
        case, acting=cast.sam, details={"invoice": "INV-2", "amount": ""}
    )

    assert event.data["changes"] == {
        "invoice": {"old": "INV-1", "new": "INV-2"},
        "amount": {"old": 5, "new": None},
    }
    case.refresh_from_db()
    assert case.details == {"invoice": "INV-2"}


def test_the_real_need_is_recorded_too(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    event = actions.update_details(case, acting=cast.fran, real_need="Wants to travel Friday.")

    assert event.data["changes"] == {"real_need": {"old": "", "new": "Wants to travel Friday."}}


def test_nothing_changed_means_no_event(cast):
    case = make_case(category=cast.billing, acting=cast.fran, details={"invoice": "INV-1"})

    with nothing_written(case):
        assert actions.update_details(case, acting=cast.fran, details={"invoice": "INV-1"}) is None


def test_a_bad_value_is_refused_with_the_fields_sentence(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.update_details(case, acting=cast.fran, details={"amount": "twelve"})

    assert refused.value.message == "Some details are not right: amount: Enter a number."
    assert refused.value.fields == {"amount": "Enter a number."}


def test_an_unknown_field_is_refused(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case), pytest.raises(Incomplete) as refused:
        actions.update_details(case, acting=cast.fran, details={"seat": "12A"})

    assert refused.value.fields == {"seat": "Billing has no field 'seat'."}


def test_inactive_staff_cannot_change_details(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    fran = deactivated(cast.fran)

    with nothing_written(case), pytest.raises(DomainError):
        actions.update_details(case, acting=fran, details={"invoice": "INV-5"})


def files_on_disk(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


def _closed(cast):
    case = make_case(category=cast.billing, acting=cast.fran, details={"invoice": "INV-1"})
    actions.solve(case, acting=cast.fran, resolution="Refunded.", one_off_reason="A glitch.")
    return actions.close(case, acting=cast.fran)


def test_a_closed_cases_details_cannot_change(cast):
    case = _closed(cast)

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.update_details(
            case, acting=cast.fran, details={"invoice": "INV-2"}, real_need="Something else."
        )

    assert refused.value.message == (
        f"{case.ref} is closed, so its details can no longer change; reopen it first."
    )
    assert refused.value.http_status == 409


def test_a_solved_cases_details_cannot_change_until_it_is_reopened(cast):
    case = make_case(category=cast.billing, acting=cast.fran, details={"invoice": "INV-1"})
    actions.solve(case, acting=cast.fran, resolution="Refunded.", one_off_reason="A glitch.")

    with nothing_written(case), pytest.raises(DomainError) as refused:
        actions.update_details(case, acting=cast.fran, details={"invoice": "INV-2"})
    assert refused.value.message == (
        f"{case.ref} is solved, so its details can no longer change; reopen it first."
    )

    actions.reopen(case, acting=cast.fran, why="The customer gave the wrong invoice.")
    actions.update_details(case, acting=cast.fran, details={"invoice": "INV-2"})
    case.refresh_from_db()
    assert case.details["invoice"] == "INV-2"


def test_a_file_for_a_closed_case_is_not_kept(cast, damage, settings):
    case = make_case(category=damage, acting=cast.fran, details={})
    actions.solve(case, acting=cast.fran, resolution="Replaced.", one_off_reason="Dropped.")
    case = actions.close(case, acting=cast.fran)
    photo = SimpleUploadedFile("crack.jpg", b"jpeg bytes", content_type="image/jpeg")

    with nothing_written(case), pytest.raises(DomainError):
        actions.update_details(case, acting=cast.fran, files={"photo": photo})

    assert not Attachment.objects.exists()
    assert files_on_disk(settings) == []


def test_a_file_is_kept_with_its_change(cast, damage, settings):
    case = make_case(category=damage, acting=cast.fran, details={})
    photo = SimpleUploadedFile("crack.jpg", b"jpeg bytes", content_type="image/jpeg")

    event = actions.update_details(case, acting=cast.fran, files={"photo": photo})

    attachment = Attachment.objects.get()
    assert attachment.case == case
    stored = {"attachment": attachment.pk, "name": "crack.jpg"}
    assert event.data["changes"] == {"photo": {"old": None, "new": stored}}
    case.refresh_from_db()
    assert case.details == {"photo": stored}
    [on_disk] = files_on_disk(settings)
    assert (on_disk.name, on_disk.read_bytes()) == (attachment.stored_name, b"jpeg bytes")
