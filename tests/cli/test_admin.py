"""The admin: the company is editable there; cases only viewable; events untouchable."""

import pytest

from relaydesk.cases.models import Event
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(cast):
    return factories.make_case(category=cast.billing, acting=cast.fran)


def test_a_category_shows_its_intake_fields_and_realtime_triggers_inline(admin_client, cast):
    page = admin_client.get(f"/admin/org/category/{cast.billing.pk}/change/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Invoice number" in text
    assert "Is the customer travelling within 24 hours?" in text
    assert 'name="solve_window_minutes"' in text


def test_staff_show_skills_side_by_side_and_their_tier_history(admin_client, cast):
    staff = cast.fran.staff
    page = admin_client.get(f"/admin/org/staff/{staff.pk}/change/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "selectfilter" in text.lower()  # filter_horizontal on skills
    assert "Tier history" in text or "tier history" in text


def test_the_company_tiers_and_rota_pages_answer(admin_client, cast):
    for path in ("/admin/org/company/", "/admin/org/tier/", "/admin/org/executiverota/"):
        assert admin_client.get(path).status_code == 200, path


def test_cases_can_be_looked_at_and_found_by_reference(admin_client, opened):
    listing = admin_client.get("/admin/cases/case/", {"q": opened.ref})

    assert listing.status_code == 200
    assert opened.ref in listing.content.decode()
    page = admin_client.get(f"/admin/cases/case/{opened.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_the_admin_cannot_add_or_change_a_case(admin_client, opened):
    assert admin_client.get("/admin/cases/case/add/").status_code == 403
    response = admin_client.post(
        f"/admin/cases/case/{opened.pk}/change/", {"status": "solved", "subject": "x"}
    )
    assert response.status_code == 403
    opened.refresh_from_db()
    assert opened.status == "open"


def test_events_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, opened):
    event = Event.objects.filter(case=opened).first()

    assert admin_client.get("/admin/cases/event/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/cases/event/{event.pk}/change/", {"body": "x"}).status_code
        == 403
    )
    assert (
        admin_client.post(f"/admin/cases/event/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Event.objects.filter(pk=event.pk, body=event.body).exists()


def test_changing_a_persons_tier_in_the_admin_adds_to_their_career_path(admin_client, cast):
    staff = cast.fran.staff
    history = list(staff.tier_history.all())
    form = {
        "user": staff.user_id,
        "tier": cast.tiers["specialist"].pk,
        "lead": staff.lead_id,
        "on_duty": "on",
        "active": "on",
        "tier_history-TOTAL_FORMS": str(len(history)),
        "tier_history-INITIAL_FORMS": str(len(history)),
        "tier_history-MIN_NUM_FORMS": "0",
        "tier_history-MAX_NUM_FORMS": "1000",
    }
    for index, line in enumerate(history):
        form[f"tier_history-{index}-id"] = line.pk
        form[f"tier_history-{index}-staff"] = staff.pk

    response = admin_client.post(f"/admin/org/staff/{staff.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    staff.refresh_from_db()
    assert staff.tier.slug == "specialist"
    assert staff.tier_history.order_by("-since", "-id").first().tier.slug == "specialist"
