"""The header's search (issue 17 part 5): a reference goes to its case; a customer's name,
email or phone lists the customers; words list the cases with the matched words marked;
contact details masked (rule 15)."""

import pytest

from relaydesk.cases import actions
from relaydesk.cases.models import Case
from relaydesk.web.views.search import masked_snippet, reference_in
from tests.factories import make_case, make_customer


@pytest.fixture
def carla_case(cast):
    carla = make_customer(name="Carla Mendes", email="carla@example.com", phone="+31 20 123 4437")
    return make_case(
        category=cast.billing,
        acting=cast.fran,
        customer=carla,
        subject="Ticket machine ate my card",
    )


@pytest.mark.parametrize("typed", ["RD-{n}", "rd-{n}", "rd {n}", "RD{n}", "#{n}", "{n}", " {n} "])
def test_a_reference_goes_straight_to_its_case(signed_in, cast, carla_case, typed):
    number = carla_case.ref.removeprefix("RD-")
    answer = signed_in(cast.fran).get("/search/", {"q": typed.format(n=number)})
    assert answer.status_code == 302
    assert answer["Location"] == f"/cases/{carla_case.ref}/"


def test_a_number_that_is_no_case_is_searched_as_words(signed_in, cast, carla_case):
    answer = signed_in(cast.fran).get("/search/", {"q": "1234437"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Carla Mendes" in html  # her phone ends in 123 4437
    assert "+31 20 123 4437" not in html


def test_a_reference_is_read_only_from_reference_shapes():
    assert reference_in("RD-1042") == 42
    assert reference_in("rd 1042") == 42
    assert reference_in("charged 1042") is None
    assert reference_in("RD-") is None
    assert reference_in("1000") is None  # before the first case


def test_a_customer_is_found_by_any_part_of_their_name(signed_in, cast, carla_case):
    html = signed_in(cast.fran).get("/search/", {"q": "mendes"}).content.decode()
    assert f'<a href="/customers/{carla_case.customer_id}/">Carla Mendes</a>' in html
    # rule 15: a frontline person sees the address and the number masked, no "show"
    assert "c•••@example.com" in html and "carla@example.com" not in html
    assert "+31 •• ••• 437" in html
    assert 'data-testid="show-email"' not in html


def test_a_customer_is_found_by_email_and_by_phone(signed_in, cast, carla_case):
    client = signed_in(cast.fran)
    by_email = client.get("/search/", {"q": "Carla@Example.com"}).content.decode()
    by_phone = client.get("/search/", {"q": "(20) 123-4437"}).content.decode()
    other = client.get("/search/", {"q": "nobody-like-this"}).content.decode()
    assert "Carla Mendes" in by_email and "Carla Mendes" in by_phone
    assert "No customer by that name, email or phone." in other


def test_part_of_an_address_or_a_few_digits_finds_no_customer(signed_in, cast, carla_case):
    """Rule 15: a search must not let anyone probe a customer's address or number."""
    client = signed_in(cast.fran)
    for probe in ("carla@", "carla@exa", "@example.com", "4437", "+31 437"):
        html = client.get("/search/", {"q": probe}).content.decode()
        assert 'data-testid="customers-refused"' in html, probe
        assert "Carla Mendes" not in html, probe


def test_a_lead_may_show_a_customers_address_from_the_results(signed_in, cast, carla_case):
    html = signed_in(cast.mia).get("/search/", {"q": "Carla"}).content.decode()
    assert 'data-testid="show-email"' in html and "carla@example.com" not in html


def test_words_list_the_cases_with_the_matched_words_marked(signed_in, cast, carla_case):
    make_case(category=cast.billing, acting=cast.fran, subject="Wifi on the train is down")
    html = signed_in(cast.fran).get("/search/", {"q": "machine"}).content.decode()
    assert (
        f'<a href="/cases/{carla_case.ref}/">{carla_case.ref} · Ticket machine ate my card</a>'
        in html
    )
    assert "<mark>machine</mark>" in html
    assert "Wifi on the train" not in html
    assert f'<a href="/customers/{carla_case.customer_id}/">all their cases</a>' in html


def test_a_customers_words_are_escaped_before_they_are_marked(signed_in, cast):
    make_case(category=cast.billing, acting=cast.fran, subject="<script>x</script> parking refund")
    html = signed_in(cast.fran).get("/search/", {"q": "parking"}).content.decode()
    assert "<mark>parking</mark>" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x</script>" not in html


def test_an_address_in_a_cases_words_is_masked_in_its_snippet(signed_in, cast):
    actions.open_case(
        customer_name="Dan Wu",
        customer_email="dan@example.org",
        category=cast.billing,
        subject="Parking refund",
        details={"invoice": "INV-9"},
        customer_message="Please write to dan.private@example.net about the parking refund.",
        channel="web",
        acting=cast.fran,
    )
    html = signed_in(cast.fran).get("/search/", {"q": "write parking"}).content.decode()
    snippet = html.split('data-testid="snippet">')[1].split("</p>")[0]
    assert "<mark>write</mark> to d•••@example.net" in snippet
    assert "dan.private" not in html


def test_masking_keeps_the_marks_after_a_masked_address():
    text = "mail ann@example.com about the refund"
    refund = text.index("refund")
    shown = masked_snippet(text, [(text.index("ann"), text.index("ann") + 3), (refund, refund + 6)])
    assert shown == "mail a•••@example.com about the <mark>refund</mark>"


def test_an_empty_or_odd_query_is_a_plain_page(signed_in, cast):
    client = signed_in(cast.fran)
    assert client.get("/search/").status_code == 200
    assert client.get("/search/", {"q": "\x00"}).status_code == 200
    assert client.get("/search/", {"q": "((( \"' OR 1=1 --"}).status_code == 200
    assert client.get("/search/", {"q": "x" * 5000}).status_code == 200
    assert client.get("/search/", {"q": "RD-99999999999999999"}).status_code == 200


def test_the_results_page_asks_a_fixed_number_of_queries(
    signed_in, cast, django_assert_max_num_queries
):
    for n in range(12):
        customer = make_customer(name=f"Parker {n}", email=f"parker{n}@example.com")
        make_case(
            category=cast.billing, acting=cast.fran, customer=customer, subject="Parking fine"
        )
    client = signed_in(cast.fran)
    with django_assert_max_num_queries(QUERIES) as counted:
        html = client.get("/search/", {"q": "parking"}).content.decode()
    assert html.count('data-testid="snippet"') == 12
    assert html.count("/customers/") >= 12
    assert len(counted) <= QUERIES
    assert Case.objects.count() == 12


QUERIES = 13
