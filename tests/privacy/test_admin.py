"""The admin's page of a customer: details and access log, for admins only (rule 15)."""

from django.contrib.auth.models import User

from relaydesk.privacy.log import record
from relaydesk.privacy.models import AccessLog
from tests.privacy.conftest import EMAIL


def test_an_admin_sees_the_customer_with_their_access_log(client, cast, scene, role):
    record(who=cast.mia, customer=scene.customer, ground="lead", page="/cases/x/", case=scene.case)
    client.force_login(role("admin"))
    page = client.get(f"/admin/cases/customer/{scene.customer.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert EMAIL in html and "/cases/x/" in html and "mia" in html
    mine = AccessLog.objects.get(who=role("admin"))  # the admin's own look is logged too
    assert (mine.ground, mine.customer_id) == ("admin", scene.customer.pk)
    listing = client.get("/admin/cases/customer/")
    assert listing.status_code == 200 and EMAIL not in listing.content.decode()
    assert client.get("/admin/privacy/accesslog/").status_code == 200


def test_staff_admin_users_who_are_not_superusers_see_no_customers(client, cast, scene):
    User.objects.filter(pk=cast.mia.pk).update(is_staff=True)
    client.force_login(cast.mia)
    assert client.get(f"/admin/cases/customer/{scene.customer.pk}/change/").status_code == 403
    assert client.get("/admin/privacy/accesslog/").status_code == 403
    assert not AccessLog.objects.exists()


def test_the_admin_cannot_change_or_delete_log_rows(client, cast, scene, role):
    row = record(who=cast.mia, customer=scene.customer, ground="lead", page="/p/")
    client.force_login(role("admin"))
    client.post(f"/admin/privacy/accesslog/{row.pk}/delete/", {"post": "yes"})
    assert AccessLog.objects.filter(pk=row.pk).exists()


def test_an_events_addresses_are_for_admins_only_in_the_admin(client, cast, scene, role):
    from django.contrib.auth.models import Permission

    from relaydesk.cases.models import Event

    acknowledged = Event.objects.get(case=scene.case, kind="acknowledged")
    url = f"/admin/cases/event/{acknowledged.pk}/change/"
    User.objects.filter(pk=cast.mia.pk).update(is_staff=True)
    cast.mia.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(cast.mia)
    page = client.get(url)
    assert page.status_code == 200 and EMAIL not in page.content.decode()
    client.force_login(role("admin"))
    assert EMAIL in client.get(url).content.decode()
