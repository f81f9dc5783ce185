"""POST /cases/{ref}/dismiss, /cases/{ref}/merge and /customers/{id}/merge: the actions over
HTTP, and every refusal as JSON {"detail": ...} with a fitting status."""

import pytest

from relaydesk.cases.models import Case, Customer, EventKind, Status
from tests.factories import make_case, make_customer


@pytest.fixture
def carla(cast):
    return make_customer()


@pytest.fixture
def two(cast, carla) -> tuple[Case, Case]:
    first = make_case(category=cast.billing, acting=cast.fran, customer=carla)
    second = make_case(category=cast.billing, acting=cast.fran, customer=carla, subject="Again")
    return first, second


def test_the_owner_dismisses_spam(cast, api_as, two):
    case, _ = two

    answer = api_as(cast.fran).post(f"/cases/{case.ref}/dismiss", {"reason": "spam"})

    assert answer.status_code == 200, answer.content
    assert (answer.json()["ref"], answer.json()["status"]) == (case.ref, "dismissed")
    assert case.events.get(kind=EventKind.DISMISSED).reason == "spam"


def test_a_dismissal_with_an_unknown_reason_is_422(cast, api_as, two):
    case, _ = two

    answer = api_as(cast.fran).post(f"/cases/{case.ref}/dismiss", {"reason": "boring"})

    assert answer.status_code == 422
    assert "detail" in answer.json()
    assert Case.objects.get(pk=case.pk).status == Status.OPEN


def test_misdirected_without_a_note_is_422_with_the_field(cast, api_as, two):
    case, _ = two

    answer = api_as(cast.fran).post(f"/cases/{case.ref}/dismiss", {"reason": "misdirected"})

    assert answer.status_code == 422
    assert answer.json()["fields"] == {"note": "Required."}


def test_dismissing_someone_elses_case_without_leading_is_403(cast, api_as, two):
    case, _ = two

    answer = api_as(cast.sam).post(f"/cases/{case.ref}/dismiss", {"reason": "spam"})

    assert answer.status_code == 403
    assert (
        answer.json()["detail"] == f"Only the owner (Fran Okafor) or a lead can dismiss {case.ref}."
    )


def test_dismissing_twice_is_409_and_an_unknown_case_404(cast, api_as, two):
    case, _ = two
    fran = api_as(cast.fran)
    fran.post(f"/cases/{case.ref}/dismiss", {"reason": "test"})

    again = fran.post(f"/cases/{case.ref}/dismiss", {"reason": "test"})
    assert again.status_code == 409
    assert again.json()["detail"] == (
        f"{case.ref} is dismissed; only an open case can be dismissed."
    )
    assert fran.post("/cases/RD-999999/dismiss", {"reason": "test"}).status_code == 404


def test_a_duplicate_is_merged_into_the_kept_case(cast, api_as, two):
    kept, duplicate = two

    answer = api_as(cast.fran).post(f"/cases/{duplicate.ref}/merge", {"into": kept.ref})

    assert answer.status_code == 200, answer.content
    assert answer.json()["merged"] == duplicate.ref
    assert (answer.json()["kept"]["ref"], answer.json()["kept"]["status"]) == (kept.ref, "open")
    assert Case.objects.get(pk=duplicate.pk).status == Status.MERGED
    read = api_as(cast.fran).get(f"/cases/{duplicate.ref}")
    assert read.json()["status"] == "merged"


@pytest.mark.parametrize(
    ("into", "status", "field"),
    [("", 422, None), ("RD-999999", 422, "into"), ("not a ref", 422, "into")],
)
def test_merging_into_what_is_not_a_case_is_422(cast, api_as, two, into, status, field):
    _, duplicate = two

    answer = api_as(cast.fran).post(f"/cases/{duplicate.ref}/merge", {"into": into})

    assert answer.status_code == status
    if field:
        assert answer.json()["fields"] == {field: "Unknown."}


def test_merge_refusals_say_why(cast, api_as, two):
    kept, duplicate = two
    fran = api_as(cast.fran)

    itself = fran.post(f"/cases/{kept.ref}/merge", {"into": kept.ref})
    assert (itself.status_code, itself.json()["detail"]) == (
        422,
        f"{kept.ref} cannot be merged into itself.",
    )
    stranger = make_case(
        category=cast.billing, acting=cast.fran, customer=make_customer("Bo", "bo@example.com")
    )
    across = fran.post(f"/cases/{stranger.ref}/merge", {"into": kept.ref})
    assert across.status_code == 409
    assert "merge the customers first" in across.json()["detail"]
    fran.post(f"/cases/{duplicate.ref}/merge", {"into": kept.ref})
    into_merged = fran.post(f"/cases/{kept.ref}/merge", {"into": duplicate.ref})
    assert into_merged.status_code == 409
    assert into_merged.json()["detail"].startswith(f"{duplicate.ref} was merged into {kept.ref}")
    third = make_case(category=cast.billing, acting=cast.fran, customer=kept.customer)
    not_theirs = api_as(cast.sam).post(f"/cases/{third.ref}/merge", {"into": kept.ref})
    assert not_theirs.status_code == 403
    assert not_theirs.json()["detail"] == (
        f"Only the owner of {third.ref} or {kept.ref}, or a lead, can merge them."
    )


def test_unknown_body_keys_are_refused(cast, api_as, two):
    kept, duplicate = two

    answer = api_as(cast.fran).post(f"/cases/{duplicate.ref}/merge", {"into": kept.ref, "x": 1})

    assert answer.status_code == 422
    assert Case.objects.get(pk=duplicate.pk).status == Status.OPEN


def test_customers_are_merged(cast, api_as, carla, two):
    other = make_customer("C. Mendes", "", "+31 6 1234 5437")
    make_case(category=cast.billing, acting=cast.fran, customer=other)

    answer = api_as(cast.mia).post(f"/customers/{other.pk}/merge", {"into": carla.pk})

    assert answer.status_code == 200, answer.content
    assert answer.json() == {"id": carla.pk, "name": "Carla Mendes", "merged": other.pk, "cases": 3}
    assert Customer.objects.get(pk=other.pk).merged_into_id == carla.pk


def test_customer_merge_refusals(cast, api_as, carla):
    other = make_customer("C. Mendes", "c@example.org")
    mia = api_as(cast.mia)

    assert mia.post(f"/customers/{carla.pk}/merge", {"into": carla.pk}).status_code == 422
    unknown_into = mia.post(f"/customers/{carla.pk}/merge", {"into": 999999})
    assert (unknown_into.status_code, unknown_into.json()["fields"]) == (422, {"into": "Unknown."})
    assert mia.post("/customers/999999/merge", {"into": carla.pk}).status_code == 404
    assert mia.post(f"/customers/{carla.pk}/merge", {"into": "7"}).status_code == 422
    assert mia.post(f"/customers/{carla.pk}/merge", {"into": -1}).status_code == 422
    not_a_lead = api_as(cast.sam).post(f"/customers/{other.pk}/merge", {"into": carla.pk})
    assert not_a_lead.status_code == 403
    assert "detail" in not_a_lead.json()


def test_without_a_token_it_is_401(client, cast, two):
    kept, duplicate = two

    answer = client.post(
        f"/api/v1/cases/{duplicate.ref}/merge", {"into": kept.ref}, content_type="application/json"
    )

    assert answer.status_code == 401


def test_a_customer_id_beyond_any_row_is_404_not_an_error(cast, api_as, carla):
    answer = api_as(cast.mia).post(f"/customers/{10**30}/merge", {"into": carla.pk})

    assert answer.status_code == 404, answer.content
    assert answer.json() == {"detail": f"There is no customer {10**30}."}


def test_dismissed_and_merged_cases_are_listed_by_their_status(cast, api_as, two):
    kept, duplicate = two
    fran = api_as(cast.fran)
    spam = make_case(category=cast.billing, acting=cast.fran, subject="Cheap watches")
    fran.post(f"/cases/{spam.ref}/dismiss", {"reason": "spam"})
    fran.post(f"/cases/{duplicate.ref}/merge", {"into": kept.ref})

    dismissed = fran.get("/cases", status="dismissed").json()["items"]
    merged = fran.get("/cases", status="merged").json()["items"]
    still_open = fran.get("/cases", status="open").json()["items"]

    assert [c["ref"] for c in dismissed] == [spam.ref]
    assert [c["ref"] for c in merged] == [duplicate.ref]
    assert [c["ref"] for c in still_open] == [kept.ref]
