"""The staff case page and the "show" on masked values, as each role (rule 15)."""

import pytest

from relaydesk.privacy.models import AccessLog
from tests.privacy.conftest import EMAIL, MASKED_EMAIL, MASKED_PHONE, PHONE, ROLES
from tests.web.conftest import HTMX


@pytest.mark.parametrize(("name", "ground"), ROLES)
def test_the_case_page_shows_whole_details_only_to_the_entitled(client, role, scene, name, ground):
    client.force_login(role(name))
    page = client.get(f"/cases/{scene.case.ref}/").content.decode()
    rows = list(
        AccessLog.objects.values_list("who__username", "customer", "case", "ground", "page")
    )
    if ground:
        assert EMAIL in page and PHONE in page
        assert rows == [
            (
                role(name).username,
                scene.customer.pk,
                scene.case.pk,
                ground,
                f"/cases/{scene.case.ref}/",
            )
        ]
    else:
        assert EMAIL not in page and PHONE not in page
        assert MASKED_EMAIL in page and MASKED_PHONE in page
        assert rows == []


def test_others_see_the_acknowledgement_line_with_the_masked_address(client, cast, scene):
    client.force_login(cast.fran)
    assert (
        f"Acknowledgement sent to {EMAIL}"
        in client.get(f"/cases/{scene.case.ref}/").content.decode()
    )
    client.force_login(cast.fiona)
    page = client.get(f"/cases/{scene.case.ref}/").content.decode()
    assert f"Acknowledgement sent to {MASKED_EMAIL}" in page
    assert "carla.mendes" not in page


def test_every_whole_view_writes_its_own_row_htmx_answers_too(client, cast, scene):
    client.force_login(cast.fran)
    client.get(f"/cases/{scene.case.ref}/")
    answer = client.post(
        f"/cases/{scene.case.ref}/note/", {"note-body": "Called back."}, headers=HTMX
    )
    assert answer.status_code == 200 and EMAIL in answer.content.decode()
    assert AccessLog.objects.filter(who=cast.fran, ground="owner").count() == 2


def test_a_taker_becomes_the_owner_and_sees_the_details(client, cast, scene):
    client.force_login(cast.fiona)
    client.post(f"/cases/{scene.case.ref}/take/")
    page = client.get(f"/cases/{scene.case.ref}/").content.decode()
    assert EMAIL in page
    assert AccessLog.objects.filter(who=cast.fiona, ground="owner").count() >= 1


def test_a_customer_without_details_shows_dashes_and_logs_nothing(client, cast, scene):
    type(scene.customer).objects.filter(pk=scene.customer.pk).update(email="", phone="")
    client.force_login(cast.fran)
    page = client.get(f"/cases/{scene.case.ref}/")
    assert page.status_code == 200
    assert AccessLog.objects.count() == 0


def reveal(client, scene, field, *, case=True):
    query = f"?customer={scene.customer.pk}&field={field}"
    if case:
        query += f"&case={scene.case.ref}"
    return client.post(f"/privacy/reveal/{query}", headers=HTMX)


@pytest.mark.parametrize(("name", "ground"), ROLES)
def test_show_reveals_and_logs_for_the_entitled_only(client, role, scene, name, ground):
    client.force_login(role(name))
    answer = reveal(client, scene, "phone")
    if ground:
        assert answer.status_code == 200
        assert PHONE in answer.content.decode()
        log = AccessLog.objects.get()
        assert (log.who, log.ground, log.case_id) == (role(name), ground, scene.case.pk)
        assert log.page.startswith("/privacy/reveal/?customer=")
    else:
        assert answer.status_code == 403
        assert PHONE not in answer.content.decode()
        assert not AccessLog.objects.exists()


def test_show_without_a_case_is_for_leads_executives_and_admins(client, cast, scene):
    client.force_login(cast.fran)  # the owner of a case, but no case is named
    assert reveal(client, scene, "email", case=False).status_code == 403
    client.force_login(cast.mia)
    answer = reveal(client, scene, "email", case=False)
    assert answer.status_code == 200 and EMAIL in answer.content.decode()
    assert AccessLog.objects.get().case is None


@pytest.mark.parametrize(
    "query",
    [
        "?customer=1&field=name",
        "?customer=x&field=email",
        "?field=email",
        "?customer=99999&field=email",
        "?customer=1&field=email&case=RD-999999",
        "?customer=1&field=email&case=nonsense",
        "?customer=1&field=email%00",
    ],
)
def test_show_answers_bad_asks_with_4xx(client, cast, scene, query):
    client.force_login(cast.mia)
    answer = client.post(f"/privacy/reveal/{query}")
    assert 400 <= answer.status_code < 500
    assert not AccessLog.objects.exists()


def test_show_of_another_customer_through_a_case_is_refused(client, cast, scene):
    from tests import factories

    other = factories.make_customer(name="Olga Other", email="olga@example.com")
    client.force_login(cast.fran)  # owns Carla's case, asks for Olga through it
    answer = client.post(f"/privacy/reveal/?customer={other.pk}&field=email&case={scene.case.ref}")
    assert answer.status_code == 403


def test_show_is_a_post(client, cast, scene):
    client.force_login(cast.mia)
    assert (
        client.get(f"/privacy/reveal/?customer={scene.customer.pk}&field=email").status_code == 405
    )


def test_intake_search_masks_and_offers_show_to_leads(client, cast, scene):
    client.force_login(cast.fiona)
    found = client.get("/intake/customers/", {"q": "Carla"}).content.decode()
    assert "Carla Mendes" in found and MASKED_EMAIL in found and MASKED_PHONE in found
    assert EMAIL not in found and PHONE not in found
    chosen = client.get(f"/intake/customers/{scene.customer.pk}/").content.decode()
    assert MASKED_EMAIL in chosen and EMAIL not in chosen
    assert 'data-testid="show-email"' not in chosen  # fiona is not entitled
    client.force_login(cast.mia)
    chosen = client.get(f"/intake/customers/{scene.customer.pk}/").content.decode()
    assert MASKED_EMAIL in chosen and 'data-testid="show-email"' in chosen
    assert not AccessLog.objects.exists()  # showing the button is not a whole view


def test_intake_search_by_whole_address_still_finds_the_customer(client, cast, scene):
    client.force_login(cast.fiona)
    found = client.get("/intake/customers/", {"q": EMAIL}).content.decode()
    assert "Carla Mendes" in found and EMAIL not in found
