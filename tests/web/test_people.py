"""People: the directory by tier with who is on duty and their open cases."""

from relaydesk.cases import actions
from tests import factories


def test_people_are_grouped_by_tier_with_duty_and_open_case_counts(signed_in, cast):
    cast.fiona.staff.on_duty = False
    cast.fiona.staff.save()
    for _ in range(3):
        factories.make_case(category=cast.billing, acting=cast.fran)
    solved = factories.make_case(category=cast.billing, acting=cast.fran)
    actions.solve(solved, acting=cast.fran, resolution="Done", one_off_reason="Once")
    html = signed_in(cast.sam).get("/people/").content.decode()
    tiers = [html.index(f'id="tier-{slug}"') for slug in ("frontline", "specialist", "executive")]
    assert tiers == sorted(tiers)
    assert 'data-testid="open-fran">3<' in html
    assert 'data-testid="open-sam">0<' in html
    assert "off duty" in html and "on duty" in html


def test_the_directory_costs_the_same_for_many_people(
    signed_in, cast, django_assert_max_num_queries
):
    for i in range(30):
        factories.make_staff(f"extra{i}", cast.tiers["specialist"], name=f"Extra {i}")
    client = signed_in(cast.sam)
    with django_assert_max_num_queries(6):
        html = client.get("/people/").content.decode()
    assert html.count('href="/people/extra') == 30


def test_a_persons_page_lists_their_open_cases(signed_in, cast, django_assert_max_num_queries):
    open_case = factories.make_case(category=cast.billing, acting=cast.fran, subject="Still open")
    solved = factories.make_case(category=cast.billing, acting=cast.fran, subject="Done one")
    actions.solve(solved, acting=cast.fran, resolution="Done", one_off_reason="Once")
    client = signed_in(cast.sam)
    with django_assert_max_num_queries(10):  # the open cases, counts, career, delighted
        html = client.get("/people/fran/").content.decode()
    assert "Fran Okafor" in html
    assert open_case.ref + "/" in html
    assert "Done one" not in html
    assert "Mia Manager" in html  # her lead


def test_an_unknown_person_is_a_404(signed_in, cast):
    assert signed_in(cast.sam).get("/people/nobody/").status_code == 404


def test_a_person_holding_a_thousand_open_cases_shows_999_plus(signed_in, cast, monkeypatch):
    from relaydesk.web import queries

    monkeypatch.setattr(queries, "OPEN_COUNT_CAP", 3)  # the cap, made small enough to reach
    for _ in range(4):
        factories.make_case(category=cast.billing, acting=cast.fran)
    factories.make_case(category=cast.billing, acting=cast.fiona)
    html = signed_in(cast.sam).get("/people/").content.decode()
    assert 'data-testid="open-fran">2+<' in html
    assert 'data-testid="open-fiona">1<' in html
