"""Intake: find or create the customer, the category's form, realtime questions, open, promise."""

import pytest

from relaydesk.cases.models import Case, Customer, EventKind
from relaydesk.cases.words import promise_words
from relaydesk.org.models import Company, IntakeField
from relaydesk.timekeeping import now
from tests import factories
from tests.web.conftest import HTMX


@pytest.fixture
def delivery(cast):
    """A second category with every kind of field."""
    return factories.make_category(
        "delivery",
        "Delivery",
        fields=[
            {
                "key": "order",
                "label": "Order number",
                "type": "short_text",
                "required": True,
                "help_text": "On the confirmation email, starts with ORD",
            },
            {"key": "what", "label": "What happened", "type": "long_text"},
            {"key": "parcels", "label": "Parcels", "type": "number"},
            {"key": "due", "label": "Due date", "type": "date"},
            {
                "key": "carrier",
                "label": "Carrier",
                "type": "choice",
                "choices": ["Post", "Courier"],
            },
            {"key": "contact", "label": "Contact email", "type": "email"},
            {"key": "mobile", "label": "Mobile", "type": "phone"},
            {"key": "photo", "label": "Photo", "type": "file"},
        ],
        triggers=[("service_down", "Is the service completely down?")],
    )


def _post(client, **overrides):
    data = {
        "customer-name": "Dana Ruiz",
        "customer-email": "dana@example.com",
        "customer-phone": "",
        "category": "billing",
        "subject": "Charged twice",
        "real_need": "Her money back before rent is due",
        "detail_invoice": "INV-42",
        "detail_amount": "19.90",
    }
    data.update(overrides)
    return client.post("/intake/", {k: v for k, v in data.items() if v is not None})


def test_the_intake_page_lists_categories_and_the_two_questions(signed_in, cast, delivery):
    html = signed_in(cast.fran).get("/intake/").content.decode()
    assert '<option value="billing">Billing</option>' in html
    assert '<option value="delivery">Delivery</option>' in html
    assert "What the customer asked for" in html
    assert "What the customer really needs" in html
    assert 'hx-get="/intake/form/"' in html


def test_choosing_a_category_swaps_in_its_form(signed_in, cast, delivery):
    response = signed_in(cast.fran).get("/intake/form/?category=delivery", headers=HTMX)
    html = response.content.decode()
    assert html.strip().startswith('<section id="category-form"')
    assert "<html" not in html
    assert "Order number" in html and "required before passing up" in html
    assert "On the confirmation email, starts with ORD" in html
    assert 'placeholder="31/12/2026"' in html  # a date, typed the company's way (en-GB)
    assert 'type="email"' in html and 'type="tel"' in html
    assert "<textarea" in html and '<option value="Courier"' in html
    assert "Is the service completely down?" in html
    assert "Invoice number" not in html


def test_no_category_means_an_empty_hidden_form(signed_in, cast):
    html = signed_in(cast.fran).get("/intake/form/?category=", headers=HTMX).content.decode()
    assert "hidden" in html and "details" not in html.lower().split("aria-label")[0]


def test_any_realtime_yes_shows_the_stay_with_the_caller_notice(signed_in, cast):
    client = signed_in(cast.fran)
    yes = client.get("/intake/realtime/?category=billing&trigger=travel_today", headers=HTMX)
    assert "Realtime lane: stay with the caller" in yes.content.decode()
    no = client.get("/intake/realtime/?category=billing", headers=HTMX)
    assert "Realtime lane" not in no.content.decode()
    assert "by tomorrow" in no.content.decode() or "by today" in no.content.decode()


def test_the_script_to_read_uses_the_companys_words(signed_in, cast):
    Company.objects.filter(pk=cast.company.pk).update(
        reassurance_script="We hear you. Case {ref}, answer {promise}."
    )
    html = signed_in(cast.fran).get("/intake/?category=billing").content.decode()
    assert "We hear you. Case [the reference, given when you open the case], answer by" in html


def test_the_customer_search_finds_by_name_email_or_phone(signed_in, cast):
    factories.make_customer(name="Dana Ruiz", email="dana@example.com", phone="+31 6 5555 1234")
    factories.make_customer(name="Piet Post", email="piet@example.com")
    client = signed_in(cast.fran)
    for query in ("dan", "DANA@example.com", "551234", "+31 6 5555 1234"):
        html = client.get("/intake/customers/", {"q": query}, headers=HTMX).content.decode()
        assert "Dana Ruiz" in html, query
        assert "Piet Post" not in html, query
    nothing = client.get("/intake/customers/?q=zzz", headers=HTMX).content.decode()
    assert "No customer matches" in nothing


def test_picking_a_found_customer_puts_them_in_the_form(signed_in, cast):
    dana = factories.make_customer(name="Dana Ruiz", email="dana@example.com")
    html = signed_in(cast.fran).get(f"/intake/customers/{dana.pk}/", headers=HTMX)
    html = html.content.decode()
    assert f'name="customer_id" value="{dana.pk}"' in html
    assert "Change customer" in html


def test_opening_a_case_makes_the_intake_person_the_owner_and_shows_ref_and_promise(
    signed_in, cast
):
    client = signed_in(cast.fran)
    response = _post(client)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/intake/opened/{case.ref}/"
    assert case.owner == cast.fran
    assert case.channel == "phone"
    assert case.subject == "Charged twice"
    assert case.real_need == "Her money back before rent is due"
    assert case.details == {"invoice": "INV-42", "amount": 19.9}
    assert case.customer.email == "dana@example.com"
    html = client.get(response["Location"]).content.decode()
    promise = promise_words(case.deadline, time_zone=cast.company.time_zone, now=now())
    assert f'data-testid="opened-ref">{case.ref}<' in html
    assert f'data-testid="opened-promise">{promise}<' in html
    assert f"your case {case.ref} will be dealt with {promise}" in html


def test_an_existing_customer_is_reused(signed_in, cast):
    dana = factories.make_customer(name="Dana Ruiz", email="dana@example.com")
    _post(signed_in(cast.fran), **{"customer_id": str(dana.pk), "customer-name": ""})
    assert Case.objects.get().customer == dana
    assert Customer.objects.count() == 1


def test_a_realtime_yes_opens_the_case_in_the_realtime_lane(signed_in, cast):
    client = signed_in(cast.fran)
    response = _post(client, trigger="travel_today")
    case = Case.objects.get()
    assert case.realtime
    assert (case.deadline - case.opened_at).total_seconds() == 3600
    assert (
        "Realtime lane: stay with the caller." in client.get(response["Location"]).content.decode()
    )


def test_missing_answers_are_field_errors_and_nothing_is_opened(signed_in, cast):
    response = _post(
        signed_in(cast.fran),
        **{"customer-name": "", "customer-email": "", "category": "", "subject": ""},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose the category." in html
    assert "Write what the customer asked for." in html
    assert "Find the customer, or give a name, email or phone." in html
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0


def test_a_bad_detail_value_is_a_field_error_and_keeps_every_answer(signed_in, cast):
    response = _post(signed_in(cast.fran), detail_amount="lots", trigger="travel_today")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a number." in html
    assert 'value="lots"' in html
    assert 'value="INV-42"' in html
    assert 'value="Charged twice"' in html
    assert 'value="travel_today" checked' in html
    assert "Realtime lane: stay with the caller" in html
    assert Case.objects.count() == 0


def test_a_bad_customer_email_is_a_field_error(signed_in, cast):
    response = _post(signed_in(cast.fran), **{"customer-email": "not-an-address"})
    assert response.status_code == 422
    assert "Enter a valid email address." in response.content.decode()


def test_a_required_field_may_wait_but_the_opened_page_says_it_is_missing(signed_in, cast):
    client = signed_in(cast.fran)
    response = _post(client, detail_invoice="")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Still missing (needed before passing up): Invoice number." in html


def test_every_field_type_is_checked_on_the_server(signed_in, cast, delivery):
    response = _post(
        signed_in(cast.fran),
        category="delivery",
        detail_order="ORD-1",
        detail_parcels="two",
        detail_due="31/31/2026",
        detail_carrier="Pigeon",
        detail_contact="nope",
        detail_mobile="call me",
    )
    assert response.status_code == 422
    html = response.content.decode()
    for message in (
        "Enter a number.",
        "Write the date like 31/12/2026.",  # the company's way (en-GB)
        "Choose one of: Post, Courier.",
        "Enter a valid email address.",
        "Enter a phone number",
    ):
        assert message in html


def test_an_inactive_category_cannot_be_chosen(signed_in, cast):
    cast.billing.active = False
    cast.billing.save()
    response = _post(signed_in(cast.fran))
    assert response.status_code == 422
    assert "Choose the category." in response.content.decode()


def test_the_acknowledgement_is_on_the_timeline(signed_in, cast):
    client = signed_in(cast.fran)
    _post(client)
    case = Case.objects.get()
    assert case.events.filter(kind=EventKind.ACKNOWLEDGED).exists()
    html = client.get(f"/cases/{case.ref}/").content.decode()
    assert "Acknowledgement sent to dana@example.com" in html


def test_the_intake_form_posts_with_csrf_and_fields_have_labels(signed_in, cast):
    html = signed_in(cast.fran).get("/intake/?category=billing").content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert IntakeField.objects.filter(category=cast.billing).count() == 2
    for input_id in ("id_category", "id_subject", "id_real_need", "id_detail_invoice"):
        assert f'for="{input_id}"' in html


def test_the_intake_page_has_a_fixed_query_count(signed_in, cast, django_assert_max_num_queries):
    for i in range(10):
        factories.make_category(f"cat{i}", f"Category {i}")
    client = signed_in(cast.fran)
    with django_assert_max_num_queries(11):
        client.get("/intake/?category=billing")


def test_a_nul_character_is_a_field_error_not_a_crash(signed_in, cast):
    """PostgreSQL cannot store NUL in text: say so on the form instead of failing."""
    response = _post(signed_in(cast.fran), subject="Charged\x00twice", detail_invoice="INV\x00-1")
    assert response.status_code == 422
    assert response.content.decode().count("invisible control character") == 2
    assert Case.objects.count() == 0


def test_a_forged_customer_id_is_a_field_error(signed_in, cast):
    for forged in ("abc", "999999"):
        response = _post(signed_in(cast.fran), customer_id=forged)
        assert response.status_code == 422
        assert "That customer no longer exists; search again." in response.content.decode()
