"""Nobody sees a staff page without signing in; the header tells who you are and what's new."""

from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from relaydesk.org.permissions import is_lead
from relaydesk.web.header import header_facts
from tests import factories

STAFF_PAGES = [
    "/",
    "/queue/",
    "/intake/",
    "/intake/form/?category=billing",
    "/intake/customers/?q=carla",
    "/intake/realtime/?category=billing",
    "/people/",
    "/people/fran/",
    "/notifications/",
    "/cases/RD-1001/",
    "/intake/opened/RD-1001/",
]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_nobody_sees_a_staff_page_without_signing_in(client, cast, url):
    factories.make_case(category=cast.billing, acting=cast.fran)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("action", ["note", "take", "pass", "solve", "reopen", "details"])
def test_nobody_acts_on_a_case_without_signing_in(client, cast, action):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    response = client.post(f"/cases/{case.ref}/{action}/", {"note-body": "hi"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert case.events.filter(kind="note").count() == 0


def test_a_signed_in_user_who_is_not_staff_is_told_why_not(client, cast):
    outsider = User.objects.create_user("outsider", password="pw")
    client.force_login(outsider)
    response = client.get("/")
    assert response.status_code == 403
    assert "for active support staff" in response.content.decode()


def test_staff_sign_in_with_username_and_password_and_land_on_my_cases(client, cast):
    page = client.get("/login/")
    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = client.post("/login/", {"username": "fran", "password": "pw"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "My cases" in client.get("/").content.decode()


def test_a_wrong_password_says_so_on_the_login_page(client, cast):
    response = client.post("/login/", {"username": "fran", "password": "nope"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_logout_is_a_post_and_goes_back_to_the_login_page(signed_in, cast):
    client = signed_in(cast.fran)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/")["Location"].startswith("/login/")


def test_the_header_shows_the_person_their_tier_and_the_main_links(signed_in, cast):
    html = signed_in(cast.sam).get("/").content.decode()
    assert "Sam Special" in html
    assert '<span class="tier-badge">Specialist</span>' in html
    for link in ('href="/"', 'href="/queue/"', 'href="/intake/"', 'href="/people/"'):
        assert link in html
    assert 'action="/logout/"' in html


def test_only_leads_see_due_soon_and_quarantine_in_the_header(signed_in, cast):
    fran_html = signed_in(cast.fran).get("/").content.decode()
    assert "/due-soon/" not in fran_html
    assert "/mail/quarantine/" not in fran_html
    mia_html = signed_in(cast.mia).get("/").content.decode()
    assert 'href="/due-soon/"' in mia_html
    assert 'href="/mail/quarantine/"' in mia_html


def _leads_among(users):
    return {user.username for user in users if is_lead(user)}


def test_leads_executives_and_admins_are_leads_and_the_header_says_so(cast):
    admin = User.objects.create_superuser("root", password="pw")
    everyone = [cast.fran, cast.fiona, cast.sam, cast.eve, cast.mia, cast.ed, admin]
    assert _leads_among(everyone) == {"mia", "ed", "root"}  # a team, the top tier, an admin
    assert {user.username for user in everyone if header_facts(user).is_lead} == {
        "mia",
        "ed",
        "root",
    }


def test_leading_anyone_makes_a_lead_and_an_inactive_lead_is_none(cast):
    cast.fiona.staff.lead = cast.fran.staff
    cast.fiona.staff.save()
    cast.mia.staff.active = False
    cast.mia.staff.save()
    cast.ed.staff.active = False
    cast.ed.staff.save()
    assert _leads_among([cast.fran, cast.fiona, cast.mia, cast.ed]) == {"fran"}
    assert header_facts(cast.fran).is_lead
    assert not header_facts(cast.mia).is_lead


def test_the_top_tier_is_whichever_ranks_highest(cast):
    from relaydesk.org.models import Tier

    Tier.objects.create(slug="board", name="Board", rank=cast.tiers["executive"].rank + 1)
    assert not is_lead(cast.ed)  # no longer the top tier, and leads nobody


def test_the_header_costs_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        header_facts(cast.mia)


def test_the_bell_counts_unread_notifications(signed_in, cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    client = signed_in(cast.fran)
    client.post(
        f"/cases/{case.ref}/pass/",
        {"pass-to": "user:sam", "pass-reason": "needs_expertise", "pass-note": "Over to you"},
    )
    html = signed_in(cast.sam).get("/").content.decode()
    assert 'aria-label="Notifications: 1 unread"' in html


def test_every_page_names_the_company_time_zone_times(signed_in, cast):
    """The cast's company is in Amsterdam: times carry its offset, not UTC's."""
    factories.make_case(category=cast.billing, acting=cast.fran)
    html = signed_in(cast.fran).get("/").content.decode()
    assert "+01:00" in html or "+02:00" in html


def test_times_follow_the_company_zone_when_it_changes(signed_in, cast):
    from relaydesk.org.models import Company

    case = factories.make_case(category=cast.billing, acting=cast.fran)
    Company.objects.filter(pk=cast.company.pk).update(time_zone="Asia/Tokyo")
    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()
    assert case.opened_at.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M:%S") in html
    assert "+09:00" in html


def test_a_broken_company_zone_falls_back_instead_of_failing(signed_in, cast):
    from relaydesk.org.models import Company

    Company.objects.filter(pk=cast.company.pk).update(time_zone="Mars/Olympus")
    assert signed_in(cast.fran).get("/").status_code == 200


def test_intake_works_even_with_a_broken_company_zone(signed_in, cast):
    from relaydesk.org.models import Company

    Company.objects.filter(pk=cast.company.pk).update(time_zone="Mars/Olympus")
    client = signed_in(cast.fran)
    assert client.get("/intake/?category=billing").status_code == 200
