"""The admin's staff page: a tier changed there is dated in the tier history; "Let go" passes
the person's open cases on before deactivating them; "Take back" makes them active again."""

from datetime import UTC, datetime

import time_machine
from django.contrib.auth.models import User

from relaydesk.cases.models import Case, EventKind, Status
from relaydesk.org.models import Staff, TierHistory
from tests.factories import make_case

PROMOTION_DAY = datetime(2026, 10, 5, 8, 30, tzinfo=UTC)


def form_data(page, **changes) -> dict:
    """The change form as the admin's page would post it, with `changes` made."""
    form = page.context["adminform"].form
    data: dict = {}
    for name in form.fields:
        value = form.initial.get(name)
        if isinstance(value, list):  # many-to-many: model instances
            data[name] = [item.pk for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for each in formset.initial_forms:
            data[f"{each.prefix}-id"] = each.instance.pk
            data[f"{each.prefix}-staff"] = each.instance.staff_id
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}


def test_a_tier_changed_in_the_admin_is_dated_in_the_tier_history(admin_client, cast):
    staff = cast.fran.staff
    path = f"/admin/org/staff/{staff.pk}/change/"
    data = form_data(admin_client.get(path), tier=cast.tiers["specialist"].pk)

    with time_machine.travel(PROMOTION_DAY, tick=False):
        response = admin_client.post(path, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Staff.objects.get(pk=staff.pk).tier == cast.tiers["specialist"]
    assert list(staff.tier_history.values_list("tier__slug", "since")) == [
        ("specialist", PROMOTION_DAY)
    ]
    page = admin_client.get(path).content.decode()
    assert "Fran Okafor at Specialist since 2026-10-05" in page


def test_saving_other_fields_in_the_admin_writes_no_tier_history(admin_client, cast):
    staff = cast.fran.staff
    path = f"/admin/org/staff/{staff.pk}/change/"
    data = form_data(admin_client.get(path))
    data.pop("on_duty")  # unticked

    assert admin_client.post(path, data).status_code == 302

    assert not Staff.objects.get(pk=staff.pk).on_duty
    assert not staff.tier_history.exists()


def test_a_person_added_in_the_admin_starts_their_tier_history(admin_client, cast):
    user = User.objects.create_user("noor", password="pw")
    data = {
        "user": user.pk,
        "tier": cast.tiers["expert"].pk,
        "on_duty": "on",
        "tier_history-TOTAL_FORMS": 0,
        "tier_history-INITIAL_FORMS": 0,
    }

    with time_machine.travel(PROMOTION_DAY, tick=False):
        response = admin_client.post("/admin/org/staff/add/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    lines = TierHistory.objects.filter(staff__user=user).values_list("tier__slug", "since")
    assert list(lines) == [("expert", PROMOTION_DAY)]


def test_active_is_not_a_checkbox_in_the_admin(admin_client, cast):
    page = admin_client.get(f"/admin/org/staff/{cast.fran.staff.pk}/change/").content.decode()

    assert 'name="active"' not in page


def test_let_go_in_the_admin_passes_the_open_cases_on_then_deactivates(admin_client, cast):
    cases = [make_case(category=cast.billing, acting=cast.fran) for _ in range(2)]

    response = admin_client.post(
        "/admin/org/staff/",
        {"action": "let_go", "_selected_action": [cast.fran.staff.pk]},
        follow=True,
    )

    assert "Fran Okafor has left; 2 open case(s) passed on." in response.content.decode()
    fran = Staff.objects.select_related("user").get(user=cast.fran)
    assert (fran.active, fran.user.is_active) == (False, False)
    for case in cases:
        case.refresh_from_db()
        assert case.owner == cast.fiona
        event = case.events.get(kind=EventKind.PASSED)
        assert event.data["by"] == "admin"  # pytest-django's admin_client user


def test_let_go_in_the_admin_says_why_when_a_case_cannot_pass_on(admin_client, cast):
    case = make_case(category=cast.billing, acting=cast.ed)  # the only executive

    response = admin_client.post(
        "/admin/org/staff/",
        {"action": "let_go", "_selected_action": [cast.ed.staff.pk]},
        follow=True,
    )

    assert f"so {case.ref} cannot pass on from Ed Exec" in response.content.decode()
    assert Case.objects.get(pk=case.pk).owner == cast.ed
    assert Staff.objects.get(user=cast.ed).active


def test_take_back_in_the_admin_makes_someone_active_again_off_duty(admin_client, cast):
    admin_client.post(
        "/admin/org/staff/", {"action": "let_go", "_selected_action": [cast.fran.staff.pk]}
    )

    admin_client.post(
        "/admin/org/staff/", {"action": "take_back", "_selected_action": [cast.fran.staff.pk]}
    )

    fran = Staff.objects.select_related("user").get(user=cast.fran)
    assert (fran.active, fran.user.is_active, fran.on_duty) == (True, True, False)
    assert not Case.objects.filter(owner=cast.fran, status=Status.OPEN).exists()
