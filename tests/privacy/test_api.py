"""GET /api/v1/cases/{ref} by role, and GET /api/v1/customers/{id}/access-log (rule 15)."""

import pytest

from relaydesk.privacy.models import AccessLog
from tests.privacy.conftest import EMAIL, MASKED_EMAIL, MASKED_PHONE, PHONE, ROLES


@pytest.mark.parametrize(("name", "ground"), ROLES)
def test_case_detail_is_whole_only_for_the_entitled(api_as, role, scene, name, ground):
    answer = api_as(role(name)).get(f"/cases/{scene.case.ref}")
    assert answer.status_code == 200
    body = answer.json()
    customer = body["customer_detail"]
    acknowledged = next(e for e in body["events"] if e["kind"] == "acknowledged")
    if ground:
        assert customer == {"name": "Carla Mendes", "email": EMAIL, "phone": PHONE, "whole": True}
        assert acknowledged["data"]["to"] == EMAIL
        log = AccessLog.objects.get()
        assert (log.who, log.ground, log.case_id, log.customer_id) == (
            role(name),
            ground,
            scene.case.pk,
            scene.customer.pk,
        )
        assert log.page == f"/api/v1/cases/{scene.case.ref}"
    else:
        assert customer == {
            "name": "Carla Mendes",
            "email": MASKED_EMAIL,
            "phone": MASKED_PHONE,
            "whole": False,
        }
        assert acknowledged["data"]["to"] == MASKED_EMAIL
        assert EMAIL not in answer.content.decode()
        assert not AccessLog.objects.exists()


def test_the_case_list_shows_no_contact_details(api_as, cast, scene):
    answer = api_as(cast.ed).get("/cases", q="Carla")
    assert answer.status_code == 200 and answer.json()["items"]
    assert EMAIL not in answer.content.decode() and PHONE not in answer.content.decode()
    assert not AccessLog.objects.exists()


def test_the_access_log_lists_each_whole_view_newest_first(api_as, cast, scene, role):
    api_as(cast.fran).get(f"/cases/{scene.case.ref}")
    api_as(cast.mia).get(f"/cases/{scene.case.ref}")
    api_as(cast.fiona).get(f"/cases/{scene.case.ref}")  # masked: no row
    answer = api_as(role("admin")).get(f"/customers/{scene.customer.pk}/access-log")
    assert answer.status_code == 200
    rows = answer.json()
    assert [(r["who"], r["ground"], r["case"]) for r in rows] == [
        ("mia", "lead", scene.case.ref),
        ("fran", "owner", scene.case.ref),
    ]
    assert rows[0]["page"] == f"/api/v1/cases/{scene.case.ref}"
    assert rows[0]["at"] >= rows[1]["at"]
    limited = api_as(role("admin")).get(f"/customers/{scene.customer.pk}/access-log", limit=1)
    assert len(limited.json()) == 1


@pytest.mark.parametrize("name", ["fran", "fiona", "mia", "ed"])
def test_only_admins_read_the_access_log(api_as, role, scene, name):
    answer = api_as(role(name)).get(f"/customers/{scene.customer.pk}/access-log")
    assert answer.status_code == 403
    assert "admins" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/customers/999999/access-log", 404),
        ("/customers/0/access-log", 404),
        ("/customers/-3/access-log", 404),
        ("/customers/99999999999999999999999/access-log", 404),
        ("/customers/abc/access-log", 422),
    ],
)
def test_the_access_log_answers_bad_ids_with_json_4xx(api_as, role, scene, path, status):
    answer = api_as(role("admin")).get(path)
    assert answer.status_code == status
    assert "detail" in answer.json()


@pytest.mark.parametrize("limit", ["0", "1001", "x"])
def test_the_access_log_limit_is_bounded(api_as, role, scene, limit):
    answer = api_as(role("admin")).get(f"/customers/{scene.customer.pk}/access-log", limit=limit)
    assert answer.status_code == 422
    assert "detail" in answer.json()
