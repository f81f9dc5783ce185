"""A customer's page (issue 17 part 5): all their cases, linked from the case page and the
search results; contact details masked (rule 15)."""

from relaydesk.cases import actions
from tests.factories import make_case, make_customer
from tests.problems.helpers import make_problem


def test_a_customer_page_lists_all_their_cases_newest_first(signed_in, cast):
    carla = make_customer(name="Carla Mendes", email="carla@example.com")
    first = make_case(category=cast.billing, acting=cast.fran, customer=carla, subject="Card eaten")
    second = make_case(category=cast.billing, acting=cast.fran, customer=carla, subject="No wifi")
    problem = make_problem(cast.mia, "Reader jams")
    actions.solve(first, acting=cast.fran, resolution="Sent a new card.", problem=problem)
    someone_else = make_case(category=cast.billing, acting=cast.fran, subject="Not hers")

    html = signed_in(cast.fran).get(f"/customers/{carla.pk}/").content.decode()

    assert "<h1>Carla Mendes</h1>" in html
    assert html.index(second.ref) < html.index(first.ref)
    assert f'<a href="/problems/{problem.pk}/">Reader jams</a>' in html
    assert someone_else.ref not in html
    assert "(2, 1 open)" in html
    assert "c•••@example.com" in html and "carla@example.com" not in html


def test_the_case_page_links_to_its_customers_page(signed_in, cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    html = signed_in(cast.fiona).get(f"/cases/{case.ref}/").content.decode()
    assert f'<a href="/customers/{case.customer_id}/" data-testid="customer-page">' in html


def test_a_merged_customer_leads_to_the_one_kept(signed_in, cast):
    kept = make_case(category=cast.billing, acting=cast.fran)
    gone_customer = make_customer(name="Carla M.", email="carla.m@example.com")
    make_case(category=cast.billing, acting=cast.fran, customer=gone_customer)
    actions.merge_customers(gone_customer, into=kept.customer, acting=cast.fran)
    answer = signed_in(cast.fran).get(f"/customers/{gone_customer.pk}/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/customers/{kept.customer_id}/"


def test_an_unknown_customer_is_a_404(signed_in, cast):
    client = signed_in(cast.fran)
    assert client.get("/customers/999999/").status_code == 404
    assert client.get(f"/customers/{2**70}/").status_code == 404


def test_the_customer_page_asks_a_fixed_number_of_queries(
    signed_in, cast, django_assert_max_num_queries
):
    carla = make_customer()
    problem = make_problem(cast.mia)
    for n in range(15):
        case = make_case(category=cast.billing, acting=cast.fran, customer=carla, subject=f"N{n}")
        if n % 3 == 0:
            actions.solve(case, acting=cast.fran, resolution="Done.", problem=problem)
    client = signed_in(cast.fran)
    with django_assert_max_num_queries(8):
        html = client.get(f"/customers/{carla.pk}/").content.decode()
    assert html.count('<a href="/cases/RD-') == 15
