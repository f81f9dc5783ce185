"""One person's month (their spells, how each ended, the acts inside) and the career path
(tier history, the last twelve months, the customers' words); who may see them."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from relaydesk.org.models import TierHistory
from tests.insights.scripted import local, script_october

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


@pytest.fixture
def october(cast, time_machine):
    cache.clear()
    scripted = script_october(cast, time_machine)
    time_machine.move_to(NOW, tick=False)
    return scripted


def spell_rows(html: str) -> list[dict[str, str]]:
    table = html.split('data-testid="spells"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in table.split("<tr>")[2:]:
        cells = {}
        for cell in row.split('<td data-label="')[1:]:
            label, text = cell.split('">', 1)
            cells[label] = text.split("</td>", 1)[0]
        rows.append(cells)
    return rows


def test_frans_october_spell_by_spell(october, cast, signed_in):
    html = signed_in(cast.fran).get("/trail/2026-10/people/fran/").content.decode()

    rows = spell_rows(html)
    refs = {name: case.ref for name, case in october.cases.items()}
    assert [(r["Case"].split('">', 1)[1][:7], r["How it ended"]) for r in rows] == [
        (refs["A"], "passed up"),  # held since before the month
        (refs["B"], "passed up"),
        (refs["C"], "solved"),  # taken from Fiona
        (refs["D"], "passed up"),
        (refs["G"], "solved"),
        (refs["G"], "passed same"),  # reopened to her by the low rating
    ]
    assert "before 2026-10" in rows[0]["From"] and "Note" in rows[0]["Their acts"]
    assert "none" in rows[1]["Their acts"]  # B: the bare pass
    assert "(taken)" in rows[2]["From"]
    assert "Reply sent" in rows[3]["Their acts"]
    assert "(reopened)" in rows[5]["From"]


def test_a_spell_ends_when_the_case_is_taken_or_escalated_away(october, cast, signed_in):
    fiona = spell_rows(signed_in(cast.mia).get("/trail/2026-10/people/fiona/").content.decode())
    eve = spell_rows(signed_in(cast.mia).get("/trail/2026-10/people/eve/").content.decode())

    assert fiona[0]["How it ended"] == "taken from them"  # C, taken by Fran
    j = next(r for r in fiona if october.cases["J"].ref in r["Case"])
    assert "Goodwill" in j["Their acts"] and j["How it ended"] == "passed up"
    assert [r["How it ended"] for r in eve] == ["escalated"]


def test_the_career_path_shows_tier_history_twelve_months_and_customers_words(
    october, cast, signed_in
):
    TierHistory.objects.create(
        staff=cast.fiona.staff, tier=cast.tiers["frontline"], since=local(1, 9, month=1)
    )
    html = signed_in(cast.fiona).get("/people/fiona/career/").content.decode()

    assert "Frontline from" in html.split('data-testid="tier-history"', 1)[1]
    months = html.split('data-testid="career-months"', 1)[1].split("</table>", 1)[0]
    assert months.count("<tr>") == 13  # the header and twelve months, newest first
    assert months.index("2026-12") < months.index("2026-10") < months.index("2026-01")
    october_row = months.split("2026-10</a>", 1)[1].split("</tr>", 1)[0]
    # Fiona in October: solved E and G, passed J: a third; E's customer delighted.
    assert [cell.split(">", 1)[1] for cell in october_row.split("</td>")[1:5]] == [
        "2",
        "33%",
        "1",
        "0",
    ]
    assert "Fiona sorted it before breakfast." in html


def test_deadlines_missed_and_a_fix_in_the_career(october, cast, signed_in):
    eve = signed_in(cast.mia).get("/people/eve/career/").content.decode()
    fran = signed_in(cast.mia).get("/people/fran/career/").content.decode()

    eve_october = eve.split("2026-10</a>", 1)[1].split("</tr>", 1)[0]
    assert eve_october.split("</td>")[4].endswith(">1")  # D's deadline fell while she held it
    assert "To fix: Still charged twice." in fran


@pytest.mark.parametrize(
    ("viewer", "person", "status"),
    [
        ("fran", "fran", 200),  # their own
        ("mia", "fran", 200),  # her lead
        ("ed", "fran", 200),  # an executive
        ("fiona", "fran", 403),  # a colleague
        ("sam", "fran", 403),  # a higher tier, not her lead
        ("fran", "mia", 403),  # not up the line
    ],
)
def test_who_may_see_a_career_and_a_persons_month(cast, signed_in, viewer, person, status):
    client = signed_in(getattr(cast, viewer))

    assert client.get(f"/people/{person}/career/").status_code == status
    assert client.get(f"/trail/2026-12/people/{person}/").status_code == status


def test_an_admin_sees_any_career_and_nobody_is_a_404(cast, signed_in, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client = signed_in(admin)

    assert client.get("/people/fran/career/").status_code == 200
    assert client.get("/people/nobody/career/").status_code == 404


def test_the_career_and_person_month_pages_make_a_fixed_number_of_queries(
    october, cast, signed_in, django_assert_max_num_queries
):
    client = signed_in(cast.mia)
    # Session, person, their staff, the one looked at (with leads), zone, solves and passes,
    # deadlines, delighted, tier history, words, header.
    with django_assert_max_num_queries(12):
        assert client.get("/people/fran/career/").status_code == 200
    # The company's locale, session, person, staff, the one looked at, zone, spells received,
    # spells held at the start (2: still held, ended since), the page's subjects, their acts,
    # header: the same however many spells (a page of them is dressed).
    with django_assert_max_num_queries(12):
        assert client.get("/trail/2026-10/people/fran/").status_code == 200


def test_a_busy_months_spells_come_a_page_at_a_time(october, cast, signed_in, monkeypatch):
    monkeypatch.setattr("relaydesk.web.views.trail.SPELLS_A_PAGE", 4)
    client = signed_in(cast.fran)

    first = client.get("/trail/2026-10/people/fran/").content.decode()
    last = client.get("/trail/2026-10/people/fran/?page=2").content.decode()

    assert len(spell_rows(first)) == 4 and "Spells 1–4 of 6" in first
    assert [r["How it ended"] for r in spell_rows(last)] == ["solved", "passed same"]
    assert client.get("/trail/2026-10/people/fran/?page=x").status_code == 200  # the first
