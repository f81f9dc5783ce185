"""Someone who has left (let go: relaydesk.setup.letting_go) cannot sign in, is routed no case,
is on no rota, and holds no API token that works."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from relaydesk.api.tokens import create_token
from relaydesk.cases import actions, routing
from relaydesk.cases.errors import DomainError
from relaydesk.clock.rota import executive_on_duty
from relaydesk.org.actions import reactivate
from relaydesk.org.models import ExecutiveRota
from relaydesk.setup.letting_go import let_go
from tests.factories import make_case, make_staff

DECEMBER_DAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def admin(db) -> User:
    return User.objects.create_superuser("root", "root@acme.example", "pw")


def test_someone_who_left_cannot_sign_in(cast, admin):
    let_go(cast.fran.staff, acting=admin)

    assert not Client().login(username="fran", password="pw")


def test_a_session_signed_in_before_leaving_is_signed_out(cast, admin):
    client = Client()
    client.force_login(cast.fran)
    assert client.get("/").status_code == 200

    let_go(cast.fran.staff, acting=admin)

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_new_cases_are_not_routed_to_someone_who_left(cast, admin):
    let_go(cast.fiona.staff, acting=admin)

    for _ in range(3):  # fran is the only frontline person left: she gets them all
        assert routing.intake_owner(cast.billing, realtime=False).user == cast.fran
    let_go(cast.fran.staff, acting=admin)
    assert routing.intake_owner(cast.billing, realtime=False).user == cast.sam


def test_nobody_can_pass_a_case_to_someone_who_left(cast, admin):
    case = make_case(category=cast.billing, acting=cast.fran)
    let_go(cast.sam.staff, acting=admin)

    with pytest.raises(DomainError, match="Sam Special is not active staff"):
        actions.pass_case(
            case, acting=cast.fran, reason="needs_expertise", note="Over to you.", to_user=cast.sam
        )


def test_someone_who_left_is_not_the_executive_on_duty_though_on_the_rota(cast, admin):
    deputy = make_staff("dee", cast.tiers["executive"], name="Dee Deputy")
    ExecutiveRota.objects.create(
        staff=cast.ed.staff, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31)
    )
    assert executive_on_duty(DECEMBER_DAY).staff == cast.ed.staff

    let_go(cast.ed.staff, acting=admin)

    on_duty = executive_on_duty(DECEMBER_DAY)
    assert (on_duty.staff, on_duty.source) == (deputy, "fallback")


def test_the_api_tokens_of_someone_who_left_are_revoked_and_refused(cast, admin):
    token, secret = create_token(cast.fran, name="scripts")

    let_go(cast.fran.staff, acting=admin)

    token.refresh_from_db()
    assert token.is_revoked
    response = Client().get("/api/v1/tiers", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert response.json() == {"detail": "That API token has been revoked."}


def test_someone_who_left_and_was_taken_back_needs_a_new_token(cast, admin):
    _, secret = create_token(cast.fran, name="scripts")
    let_go(cast.fran.staff, acting=admin)

    reactivate(cast.fran.staff, acting=admin)

    response = Client().get("/api/v1/tiers", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    _, fresh = create_token(cast.fran, name="new")
    assert Client().get("/api/v1/tiers", HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 200


def test_a_low_rating_after_they_left_reopens_to_someone_on_duty_and_credits_them(cast, admin):
    case = make_case(category=cast.billing, acting=cast.fran)
    actions.solve(case, acting=cast.fran, resolution="Refunded.", one_off_reason="A glitch.")
    let_go(cast.fran.staff, acting=admin)

    answer = actions.answer_survey(case, rating=1, fix="The refund never arrived.")

    case.refresh_from_db()
    assert (case.status, case.owner) == ("open", cast.fiona)
    assert answer.solved_by == cast.fran  # their record keeps the answer to their solve
