"""Rule 15's leftovers (issue 18): digest mails, warnings, intake's search, the event admin
and the customer page mask what they show; merged customers are not offered at intake."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User

from relaydesk.cases import actions
from relaydesk.cases.merging import merge_customers
from relaydesk.cases.models import Event, EventKind
from relaydesk.cases.notify import handle_one_digest, notify
from relaydesk.outbox.models import OutgoingMail
from relaydesk.privacy.models import AccessLog
from relaydesk.timekeeping import now
from relaydesk.web.intake_lookup import REFUSED, RESULTS
from tests import factories
from tests.privacy.conftest import EMAIL, MASKED_EMAIL, MASKED_PHONE, PHONE
from tests.web.conftest import HTMX

OTHER = "dirk.vos@example.net"


def _digest_for(user: User, time_machine) -> OutgoingMail:
    time_machine.move_to(now() + timedelta(minutes=30), tick=False)
    assert handle_one_digest() is True
    return OutgoingMail.objects.get(to=user.email)


def test_a_digest_of_one_line_masks_the_addresses_it_quotes(cast, time_machine):
    customer = factories.make_customer(email=EMAIL)
    case = factories.make_case(
        category=cast.billing, acting=cast.fiona, customer=customer, subject=f"From {OTHER}"
    )
    opened = Event.objects.get(case=case, kind=EventKind.OPENED)
    notify(cast.fran, case=case, event=opened, text=f"{EMAIL} wrote on {case.ref}")
    mail = _digest_for(cast.fran, time_machine)
    assert MASKED_EMAIL in mail.subject and MASKED_EMAIL in mail.body
    assert "d•••@example.net" in mail.body  # the case's subject quoted an address too
    assert EMAIL not in mail.subject + mail.body and OTHER not in mail.body


def test_a_digest_of_many_lines_masks_every_line(cast, time_machine):
    case = factories.make_case(category=cast.billing, acting=cast.fiona)
    opened = Event.objects.get(case=case, kind=EventKind.OPENED)
    for address in (EMAIL, OTHER):
        notify(cast.fran, case=case, event=opened, text=f"A message from {address} was attached")
    mail = _digest_for(cast.fran, time_machine)
    assert mail.body.startswith("2 updates for you")
    assert MASKED_EMAIL in mail.subject and "d•••@example.net" in mail.body
    assert EMAIL not in mail.subject + mail.body and OTHER not in mail.body


def test_the_bell_line_itself_keeps_the_address_so_erasing_can_find_it(cast, time_machine):
    case = factories.make_case(category=cast.billing, acting=cast.fiona)
    opened = Event.objects.get(case=case, kind=EventKind.OPENED)
    line = notify(cast.fran, case=case, event=opened, text=f"{EMAIL} wrote")
    assert line.text == f"{EMAIL} wrote"


def test_the_warning_that_no_acknowledgement_was_sent_masks_the_address(cast, settings):
    settings.MAIL_ACKS_PER_SENDER_PER_HOUR = 0
    customer = factories.make_customer(email=EMAIL)
    case = factories.make_case(category=cast.billing, acting=cast.fran, customer=customer)
    [warning] = Event.objects.filter(case=case, kind=EventKind.WARNING)
    assert warning.body.startswith(f"No acknowledgement was sent: {MASKED_EMAIL} already had 0")
    assert EMAIL not in warning.body and EMAIL not in str(warning.data)


def _search(client, query: str) -> str:
    return client.get("/intake/customers/", {"q": query}, headers=HTMX).content.decode()


@pytest.mark.parametrize(
    "probe",
    ["c", "carla.mendes@", "carla.mendes@exa", "@example.com", "4437", "+31 20", "12"],
)
def test_a_probe_by_part_of_an_address_or_a_few_digits_is_refused(client, scene, cast, probe):
    client.force_login(cast.fiona)
    html = _search(client, probe)
    assert REFUSED in html and "Carla Mendes" not in html
    assert "Search by a whole email address" in html


@pytest.mark.parametrize("query", [EMAIL, EMAIL.upper(), "234437", "20 123 4437", PHONE, "Ca"])
def test_a_whole_address_the_last_six_digits_or_a_name_finds_the_customer_masked(
    client, scene, cast, query
):
    client.force_login(cast.fiona)
    html = _search(client, query)
    assert "Carla Mendes" in html and REFUSED not in html
    assert MASKED_EMAIL in html and MASKED_PHONE in html
    assert EMAIL not in html and PHONE not in html


def test_digits_that_are_not_the_end_of_the_number_find_nobody(client, scene, cast):
    client.force_login(cast.fiona)
    html = _search(client, "201234")
    assert "Carla Mendes" not in html and "No customer matches" in html


def test_the_results_are_capped(client, cast):
    for number in range(RESULTS + 3):
        factories.make_customer(name=f"Carla {number:02}", email=f"c{number}@example.com")
    client.force_login(cast.fiona)
    html = _search(client, "Carla")
    assert html.count('data-testid="found-contact"') == RESULTS


def test_a_customer_merged_into_another_is_not_listed_at_intake(client, cast):
    kept = factories.make_customer(name="Carla Mendes", email=EMAIL)
    merged = factories.make_customer(name="Carla M.", email="carla.m@example.org")
    merge_customers(merged, into=kept, acting=cast.mia)
    client.force_login(cast.fiona)
    by_name = _search(client, "Carla")
    assert "Carla Mendes" in by_name and "Carla M.<" not in by_name
    assert f"/intake/customers/{merged.pk}/" not in by_name
    assert "Carla M." not in _search(client, "carla.m@example.org")
    picked = client.get(f"/intake/customers/{merged.pk}/", headers=HTMX).content.decode()
    assert f'name="customer_id" value="{kept.pk}"' in picked  # an old link picks the kept row


@pytest.fixture
def words(scene):
    actions.customer_wrote(scene.case, body="My account number is NL91 ABNA 0417 1643 00")
    return Event.objects.get(case=scene.case, kind=EventKind.CUSTOMER_WROTE)


def _admin_viewer(user: User, *codenames: str) -> User:
    User.objects.filter(pk=user.pk).update(is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return User.objects.get(pk=user.pk)


def test_the_event_admin_hides_the_customers_words_from_non_admins(client, cast, scene, words):
    url = f"/admin/cases/event/{words.pk}/change/"
    client.force_login(_admin_viewer(cast.mia, "view_event"))
    page = client.get(url)
    assert page.status_code == 200 and "NL91 ABNA" not in page.content.decode()
    opened = Event.objects.get(case=scene.case, kind=EventKind.OPENED)
    staff_words = client.get(f"/admin/cases/event/{opened.pk}/change/").content.decode()
    assert scene.case.subject in staff_words  # other events keep their body
    client.force_login(scene.root)
    assert "NL91 ABNA" in client.get(url).content.decode()


def test_the_case_admin_hides_the_customers_words_in_its_events(client, cast, scene, words):
    url = f"/admin/cases/case/{scene.case.pk}/change/"
    client.force_login(_admin_viewer(cast.mia, "view_case", "view_event"))
    html = client.get(url).content.decode()
    assert "NL91 ABNA" not in html and "for admins only" in html
    client.force_login(scene.root)
    html = client.get(url).content.decode()
    assert "NL91 ABNA" in html and "for admins only" not in html


def test_the_owner_of_a_customers_case_gets_show_on_the_customer_page(client, cast, scene):
    url = f"/customers/{scene.customer.pk}/"
    client.force_login(cast.fiona)
    html = client.get(url).content.decode()
    assert MASKED_EMAIL in html and 'data-testid="show-email"' not in html
    client.force_login(cast.fran)  # the owner of Carla's case
    html = client.get(url).content.decode()
    assert MASKED_EMAIL in html and EMAIL not in html
    assert f"field=email&amp;case={scene.case.ref}" in html
    assert not AccessLog.objects.exists()  # showing the button is not a whole view
    shown = client.post(
        f"/privacy/reveal/?customer={scene.customer.pk}&field=email&case={scene.case.ref}"
    )
    assert shown.status_code == 200 and EMAIL in shown.content.decode()
    [row] = AccessLog.objects.all()
    assert (row.who, row.ground, row.case, row.customer) == (
        cast.fran,
        "owner",
        scene.case,
        scene.customer,
    )


def test_a_lead_gets_show_on_the_customer_page_without_owning_a_case(client, cast, scene):
    client.force_login(cast.mia)
    html = client.get(f"/customers/{scene.customer.pk}/").content.decode()
    assert 'data-testid="show-email"' in html and "&amp;case=" not in html
