"""The buck page: who passes more than 20 points above their tier's median with at least ten
spells, their bare passes with the case, reason and note, and the credit rules printed."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from relaydesk.cases import actions
from relaydesk.insights.buck import bare_passes_of
from relaydesk.insights.months import parse_month
from relaydesk.insights.spells import bare_passes
from tests import factories
from tests.insights.scripted import script_october

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
START = datetime(2026, 11, 2, 8, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def a_month_of_passing(cast, time_machine, *, fran_cases: int) -> list:
    """Fran opens `fran_cases` cases in November: the first two solved, the third passed after
    a note, the rest passed bare to Sam. Fiona opens and solves ten. Sam solves what he gets."""
    moment = START

    def tick():
        nonlocal moment
        moment += timedelta(minutes=10)
        time_machine.move_to(moment, tick=False)

    bare = []
    for number in range(fran_cases):
        tick()
        case = factories.make_case(category=cast.billing, acting=cast.fran)
        tick()
        if number < 2:
            actions.solve(case, acting=cast.fran, resolution="Done.", one_off_reason="Once")
            continue
        if number == 2:
            actions.add_note(case, acting=cast.fran, body="Checked the invoice.")
            tick()
        actions.pass_case(
            case,
            acting=cast.fran,
            reason="needs_expertise",
            note=f"Yours {number}",
            to_user=cast.sam,
        )
        if number > 2:
            bare.append(case)
        tick()
        actions.solve(case, acting=cast.sam, resolution="Done.", one_off_reason="Once")
    for _ in range(10):
        tick()
        case = factories.make_case(category=cast.billing, acting=cast.fiona)
        tick()
        actions.solve(case, acting=cast.fiona, resolution="Done.", one_off_reason="Once")
    time_machine.move_to(NOW, tick=False)
    return bare


def test_the_buck_lists_a_frequent_passer_with_each_bare_pass(cast, signed_in, time_machine):
    bare = a_month_of_passing(cast, time_machine, fran_cases=10)

    html = signed_in(cast.mia).get("/trail/2026-11/buck/").content.decode()

    # Fran passed 8 of 10 (80%); Fiona none: the frontline median is 40%.
    people = html.count('data-testid="buck-person"')
    assert people == 1
    assert (
        "Fran Okafor" in html and "Fiona Front" not in html.split('data-testid="credit-rules"')[1]
    )
    assert "Pass rate 80% against a tier median of 40%, over 10 spells; 7 bare passes." in html
    for case in bare:
        assert f'href="/cases/{case.ref}/"' in html
    assert "Yours 3" in html and "Needs expertise" in html and "Sam Special" in html
    assert "Yours 2" not in html  # passed after a note: not bare


def test_nine_spells_are_too_few_to_be_listed(cast, signed_in, time_machine):
    a_month_of_passing(cast, time_machine, fran_cases=9)

    html = signed_in(cast.mia).get("/trail/2026-11/buck/").content.decode()

    assert 'data-testid="buck-person"' not in html
    assert "Nobody passes the buck in 2026-11" in html


def test_the_credit_rules_are_printed_on_the_page(cast, signed_in):
    html = signed_in(cast.ed).get("/trail/2026-12/buck/").content.decode()

    rules = html.split('data-testid="credit-rules"', 1)[1].split("</section>", 1)[0]
    assert "no note, no reply, no change to its details, no file attached, no goodwill" in rules
    assert "passed ÷ (passed + solved)" in rules
    assert "more than 20 points above your tier's median" in rules
    assert "at least 10 of your spells" in rules


def test_the_buck_page_makes_a_fixed_number_of_queries(
    cast, signed_in, time_machine, django_assert_max_num_queries
):
    a_month_of_passing(cast, time_machine, fran_cases=12)
    client = signed_in(cast.mia)
    client.get("/trail/2026-11/buck/")  # the month's figures computed and kept

    # Session, person, lead, zone (2), newest events (2), the spells ended, the names, the
    # bare passes, executive, header: however many passes are listed.
    with django_assert_max_num_queries(13):
        assert client.get("/trail/2026-11/buck/").status_code == 200


def test_the_listed_bare_passes_are_the_trails_bare_passes(cast, time_machine):
    """The buck lists the passes relaydesk.insights.spells counts, no more and no fewer."""
    script_october(cast, time_machine)
    a_month_of_passing(cast, time_machine, fran_cases=12)
    for label in ("2026-10", "2026-11"):
        month = parse_month(label, "Europe/Amsterdam")
        everyone = [u.pk for u in (cast.fran, cast.fiona, cast.sam, cast.eve, cast.mia, cast.ed)]

        listed = {user: len(passes) for user, passes in bare_passes_of(month, everyone).items()}

        assert listed == dict(bare_passes(month)), label
        assert sum(listed.values()) > 0
