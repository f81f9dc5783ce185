"""merge_cases: a duplicate joins the kept case; its history stays, its words move."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from relaydesk.cases import actions, status_links
from relaydesk.cases.dismissal import NotAllowed
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import Attachment, Case, Event, EventKind, Status
from relaydesk.goodwill.actions import give_goodwill
from relaydesk.outbox.models import OutgoingMail
from tests.cases.written import nothing_written
from tests.factories import make_case, make_customer

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def carla(cast):
    return make_customer()


@pytest.fixture
def kept(cast, carla) -> Case:
    with time_machine.travel(MONDAY_NINE, tick=False):
        return make_case(category=cast.billing, acting=cast.fran, customer=carla)


@pytest.fixture
def duplicate(cast, carla) -> Case:
    with time_machine.travel(MONDAY_NINE + timedelta(hours=1), tick=False):
        case = make_case(
            category=cast.billing,
            acting=cast.fiona,
            customer=carla,
            subject="Season ticket charged two times",
            details={"invoice": "INV-1", "amount": 129.5},
        )
        actions.customer_wrote(case, body="It happened again on my card today.", via="portal")
        return case


def merged(duplicate, kept, acting) -> Case:
    with time_machine.travel(MONDAY_NINE + timedelta(hours=2), tick=False):
        return actions.merge_cases(duplicate, into=kept, acting=acting)


def test_the_duplicate_closes_as_merged_and_keeps_its_history(cast, duplicate, kept):
    history = list(duplicate.events.values_list("pk", flat=True))

    merged(duplicate, kept, cast.fiona)

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Status.MERGED, kept)
    assert duplicate.owner == cast.fiona and duplicate.next_tickle_at is None
    assert list(duplicate.events.values_list("pk", flat=True))[: len(history)] == history
    ended = duplicate.events.get(kind=EventKind.MERGED_INTO)
    assert (ended.actor, ended.from_owner, ended.data["into"]) == (cast.fiona, cast.fiona, kept.ref)
    assert not duplicate.events.filter(kind=EventKind.SOLVED).exists()


def test_the_kept_case_gets_the_words_and_the_details_it_lacked(cast, duplicate, kept):
    merged(duplicate, kept, cast.fiona)

    kept.refresh_from_db()
    assert kept.status == Status.OPEN
    assert kept.details == {"invoice": "INV-1", "amount": 129.5}  # amount was missing
    joined = kept.events.get(kind=EventKind.MERGED_FROM)
    assert joined.data["from"] == duplicate.ref
    assert joined.data["details_added"] == {"amount": 129.5}
    assert [said["body"] for said in joined.data["words"]] == [
        "It happened again on my card today."
    ]
    assert "Season ticket charged two times" in joined.body
    assert "It happened again on my card today." in joined.body


def test_differing_details_stay_the_kept_cases_and_are_recorded(cast, carla, kept):
    other = make_case(
        category=cast.billing, acting=cast.fran, customer=carla, details={"invoice": "INV-9"}
    )

    actions.merge_cases(other, into=kept, acting=cast.fran)

    kept.refresh_from_db()
    assert kept.details == {"invoice": "INV-1"}
    joined = kept.events.get(kind=EventKind.MERGED_FROM)
    assert joined.data["details_differing"] == {"invoice": "INV-9"}


def test_the_customer_is_told_once_from_the_kept_case(cast, duplicate, kept):
    before = OutgoingMail.objects.count()

    merged(duplicate, kept, cast.fiona)

    [told] = OutgoingMail.objects.order_by("-id")[: OutgoingMail.objects.count() - before]
    assert (told.case, told.to) == (kept, "carla@example.com")
    assert told.subject.startswith(f"[{kept.ref}]")
    assert f"{duplicate.ref} (Season ticket charged two times) together with {kept.ref}" in (
        told.body
    )
    assert told.event.kind == EventKind.MERGED_FROM


def test_files_and_live_status_links_move_to_the_kept_case(
    cast, duplicate, kept, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("card.png", b"\x89PNG card", "image/png")
    actions.customer_wrote(duplicate, body="A photo of the statement.", files=[photo])
    token = status_links.issue(duplicate, MONDAY_NINE)

    merged(duplicate, kept, cast.fiona)

    [file] = Attachment.objects.filter(original_name="card.png")
    assert file.case_id == kept.pk
    joined = kept.events.get(kind=EventKind.MERGED_FROM)
    assert joined.data["attachments"] == [{"id": file.pk, "name": "card.png"}]
    assert status_links.live_link(token)[1] == kept.pk


def test_the_status_link_of_the_duplicate_opens_the_kept_case(cast, client, duplicate, kept):
    token = status_links.issue(duplicate, MONDAY_NINE)
    merged(duplicate, kept, cast.fiona)

    answer = client.get(f"/status/{token}")

    assert answer.status_code == 302
    assert answer["Location"] == f"/status/case/{kept.ref}/"
    page = client.get(answer["Location"])
    assert page.status_code == 200
    assert kept.subject in page.content.decode()


def test_the_owners_who_did_not_merge_are_told(cast, duplicate, kept):
    merged(duplicate, kept, cast.mia)

    line = f"Mia Manager merged {duplicate.ref} into {kept.ref}"
    assert cast.fran.notifications.filter(text=line).count() == 1
    assert cast.fiona.notifications.filter(text=line).count() == 1


def test_earlier_duplicates_follow_to_the_new_kept_case(cast, carla, duplicate, kept):
    third = make_case(category=cast.billing, acting=cast.fran, customer=carla)
    merged(duplicate, kept, cast.fran)

    actions.merge_cases(kept, into=third, acting=cast.fran)

    assert Case.objects.get(pk=duplicate.pk).merged_into_id == third.pk
    assert actions.kept_case(duplicate) == third


def test_a_case_is_not_merged_into_itself(cast, kept):
    with nothing_written(kept), pytest.raises(Incomplete) as refused:
        actions.merge_cases(kept, into=kept, acting=cast.fran)

    assert refused.value.message == f"{kept.ref} cannot be merged into itself."


def test_cases_of_two_customers_are_not_merged(cast, kept):
    stranger = make_case(
        category=cast.billing, acting=cast.fran, customer=make_customer("Bo", "bo@example.com")
    )

    with nothing_written(kept, stranger), pytest.raises(DomainError) as refused:
        actions.merge_cases(stranger, into=kept, acting=cast.fran)

    assert refused.value.message == (
        f"{stranger.ref} is Bo's and {kept.ref} is Carla Mendes's; if they are one person, "
        "merge the customers first."
    )


def test_nothing_is_merged_into_a_solved_or_merged_case(cast, carla, duplicate, kept):
    solved = make_case(category=cast.billing, acting=cast.fran, customer=carla)
    actions.solve(solved, acting=cast.fran, resolution="Refunded", one_off_reason="Once")
    with nothing_written(duplicate, solved), pytest.raises(DomainError) as refused:
        actions.merge_cases(duplicate, into=solved, acting=cast.fran)
    assert refused.value.message == (
        f"{solved.ref} is solved; only open cases are merged (reopen it first)."
    )

    merged(duplicate, kept, cast.fran)
    third = make_case(category=cast.billing, acting=cast.fran, customer=carla)
    with pytest.raises(DomainError) as refused:
        actions.merge_cases(third, into=duplicate, acting=cast.fran)
    assert refused.value.message.startswith(f"{duplicate.ref} was merged into {kept.ref}")
    with pytest.raises(DomainError) as refused:
        actions.merge_cases(duplicate, into=third, acting=cast.fran)
    assert refused.value.message.startswith(f"{duplicate.ref} was merged into {kept.ref}")


def test_someone_who_owns_neither_case_and_leads_nobody_may_not_merge(cast, duplicate, kept):
    with nothing_written(duplicate, kept), pytest.raises(NotAllowed) as refused:
        actions.merge_cases(duplicate, into=kept, acting=cast.sam)

    assert refused.value.http_status == 403


def test_a_merged_case_is_neither_reopened_nor_answered(cast, duplicate, kept):
    merged(duplicate, kept, cast.fran)

    with pytest.raises(DomainError, match="reopen that one"):
        actions.reopen(duplicate, acting=cast.mia, why="Again")
    with pytest.raises(DomainError, match="write there"):
        actions.reply(duplicate, acting=cast.fran, body="Hello")


def test_a_merged_case_gets_no_goodwill_and_no_new_status_link(cast, duplicate, kept):
    merged(duplicate, kept, cast.fran)
    duplicate.refresh_from_db()

    with pytest.raises(DomainError, match="was merged"):
        give_goodwill(duplicate, acting=duplicate.owner, kind="credit", value="5", note="Sorry")
    with pytest.raises(DomainError, match="was merged"):
        actions.rotate_status_link(duplicate, acting=duplicate.owner)


def test_events_written_by_a_merge_are_two(cast, duplicate, kept):
    before = Event.objects.count()

    merged(duplicate, kept, cast.fiona)

    kinds = set(Event.objects.order_by("id")[before:].values_list("kind", flat=True))
    assert kinds == {EventKind.MERGED_INTO, EventKind.MERGED_FROM}
