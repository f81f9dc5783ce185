"""Bearer tokens: no token, a wrong one or a revoked one is a 401; only active staff get in."""

import datetime as dt

import time_machine
from django.test import Client

from relaydesk.api.models import ApiToken
from relaydesk.api.tokens import create_token, revoke
from tests.api.conftest import Api


def test_no_token_is_401_with_a_reason(cast):
    response = Client().get("/api/v1/cases")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_401(cast):
    response = Api("rdk_not-a-real-token").get("/cases")
    assert response.status_code == 401
    assert response.json() == {"detail": "That API token is not valid."}


def test_basic_auth_instead_of_bearer_is_401(cast):
    response = Client().get("/api/v1/cases", HTTP_AUTHORIZATION="Basic ZnJhbjpwdw==")
    assert response.status_code == 401
    assert "not a bearer token" in response.json()["detail"]


def test_an_absurdly_long_token_is_401_not_a_crash(cast):
    response = Api("x" * 5000).get("/cases")
    assert response.status_code == 401


def test_a_revoked_token_is_401(cast):
    token, secret = create_token(cast.fran)
    revoke(token)
    response = Api(secret).post("/cases/RD-1001/take")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_token_of_someone_no_longer_active_staff_is_refused(cast):
    _, secret = create_token(cast.fiona)
    cast.fiona.staff.active = False
    cast.fiona.staff.save()
    response = Api(secret).get("/cases")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "fiona is not active staff; only active staff may use the API."
    }


def test_a_token_of_a_deactivated_user_is_refused(cast):
    _, secret = create_token(cast.sam)
    cast.sam.is_active = False
    cast.sam.save()
    assert Api(secret).get("/tiers").status_code == 403


def test_a_valid_token_reads_the_tiers(cast, api_as):
    response = api_as(cast.fran).get("/tiers")
    assert response.status_code == 200
    assert [tier["slug"] for tier in response.json()] == [
        "frontline",
        "specialist",
        "expert",
        "manager",
        "executive",
    ]


def test_openapi_is_served_without_a_token_and_lists_the_contract(cast):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/categories",
        "/api/v1/tiers",
        "/api/v1/cases",
        "/api/v1/cases/{ref}",
        "/api/v1/cases/{ref}/take",
        "/api/v1/cases/{ref}/pass",
        "/api/v1/cases/{ref}/notes",
        "/api/v1/cases/{ref}/solve",
        "/api/v1/cases/{ref}/reopen",
        "/api/v1/problems",
    } <= paths
    assert set(schema["paths"]["/api/v1/cases"]) == {"get", "post"}
    assert set(schema["paths"]["/api/v1/problems"]) == {"get", "post"}
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    take = schema["paths"]["/api/v1/cases/{ref}/take"]["post"]
    assert {"200", "401", "404", "409"} <= set(take["responses"])
    assert take["security"] == [{"BearerToken": []}]


def test_last_used_is_recorded_at_most_once_a_minute(cast):
    token, secret = create_token(cast.fran)
    api = Api(secret)
    start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        api.get("/tiers")
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        api.get("/tiers")
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        api.get("/tiers")
    token.refresh_from_db()
    assert token.last_used_at == start + dt.timedelta(minutes=5)


def test_tokens_are_found_by_hash_only(cast):
    _, secret = create_token(cast.fran)
    assert not ApiToken.objects.filter(key_hash=secret).exists()
    assert Api(secret[:-1]).get("/tiers").status_code == 401
    assert Api(secret + "x").get("/tiers").status_code == 401
