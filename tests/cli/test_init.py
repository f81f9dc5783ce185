"""`relaydesk init FILE`: the company file creates or updates the company, all or nothing."""

import textwrap
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from relaydesk.org.models import (
    Category,
    Company,
    ExecutiveRota,
    IntakeField,
    RealtimeTrigger,
    Staff,
    Tier,
    TierHistory,
)
from relaydesk.setup.company_file import parse_duration

pytestmark = pytest.mark.django_db

GOOD = """\
[company]
name = "Acme Rail"
time_zone = "Europe/Amsterdam"

[[tiers]]
slug = "frontline"
name = "Frontline"

[[tiers]]
slug = "manager"
name = "Manager"

[[tiers]]
slug = "executive"
name = "Executive"

[[staff]]
username = "fran"
name = "Fran Okafor"
email = "fran@acme.example"
tier = "frontline"
lead = "mia"
skills = ["billing"]
on_duty = true

[[staff]]
username = "mia"
name = "Mia Manager"
email = "mia@acme.example"
tier = "manager"
password = "start-here-42"

[[staff]]
username = "ed"
name = "Ed Exec"
email = "ed@acme.example"
tier = "executive"
realtime_handler = false

[[categories]]
slug = "billing"
name = "Billing"
solve_window = "20h"
tickle_after = "90m"
fields = [
  { key = "invoice", label = "Invoice number", type = "short_text", required = true },
  { key = "amount", label = "Amount charged", type = "number", required = false },
  { key = "method", label = "Paid by", type = "choice", choices = ["card", "cash"] },
]
realtime_triggers = [
  { key = "travel_today", question = "Is the customer travelling within 24 hours?" },
]

[[categories]]
slug = "lost"
name = "Lost property"
solve_window = "2d"

[[executive_rota]]
username = "ed"
from = 2026-11-01
to = 2026-12-31
"""


def write(tmp_path: Path, text: str, name: str = "company.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def snapshot() -> dict[str, int]:
    return {
        "companies": Company.objects.count(),
        "tiers": Tier.objects.count(),
        "users": User.objects.count(),
        "staff": Staff.objects.count(),
        "categories": Category.objects.count(),
        "fields": IntakeField.objects.count(),
        "triggers": RealtimeTrigger.objects.count(),
        "rota": ExecutiveRota.objects.count(),
        "history": TierHistory.objects.count(),
    }


def init(path: Path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("init", str(path), stdout=out)
    return out.getvalue()


def test_init_creates_the_company_its_tiers_people_categories_and_rota(tmp_path):
    init(write(tmp_path, GOOD))

    company = Company.current()
    assert (company.name, company.time_zone) == ("Acme Rail", "Europe/Amsterdam")
    assert list(Tier.objects.values_list("slug", "rank")) == [
        ("frontline", 0),
        ("manager", 1),
        ("executive", 2),
    ]
    assert Tier.objects.get(slug="executive").is_executive
    fran = Staff.objects.get(user__username="fran")
    assert fran.user.get_full_name() == "Fran Okafor"
    assert fran.lead.user.username == "mia"
    assert [c.slug for c in fran.skills.all()] == ["billing"]
    assert not fran.user.has_usable_password()  # no password in the file: nobody can log in yet
    assert User.objects.get(username="mia").check_password("start-here-42")
    billing = Category.objects.get(slug="billing")
    assert (billing.solve_window_minutes, billing.tickle_after_minutes) == (20 * 60, 90)
    assert [(f.key, f.type, f.required) for f in billing.fields.all()] == [
        ("invoice", "short_text", True),
        ("amount", "number", False),
        ("method", "choice", False),
    ]
    assert billing.fields.get(key="method").choices == ["card", "cash"]
    assert [t.key for t in billing.realtime_triggers.all()] == ["travel_today"]
    lost = Category.objects.get(slug="lost")
    assert (lost.solve_window_minutes, lost.tickle_after_minutes) == (2 * 24 * 60, 4 * 60)
    rota = ExecutiveRota.objects.get()
    assert (rota.staff.user.username, str(rota.starts_on), str(rota.ends_on)) == (
        "ed",
        "2026-11-01",
        "2026-12-31",
    )
    assert TierHistory.objects.filter(staff=fran, tier__slug="frontline").count() == 1


def test_running_init_twice_changes_nothing(tmp_path):
    path = write(tmp_path, GOOD)
    init(path)
    before = snapshot()
    password_before = User.objects.get(username="mia").password

    output = init(path)

    assert snapshot() == before
    assert User.objects.get(username="mia").password == password_before
    assert "Nothing to change" in output


def test_init_updates_what_changed_and_records_a_promotion(tmp_path):
    init(write(tmp_path, GOOD))
    promoted = GOOD.replace(
        'tier = "frontline"\nlead = "mia"', 'tier = "manager"\nlead = "mia"'
    ).replace('solve_window = "20h"', 'solve_window = "8h"')
    assert promoted != GOOD

    init(write(tmp_path, promoted))

    fran = Staff.objects.get(user__username="fran")
    assert fran.tier.slug == "manager"
    assert list(fran.tier_history.values_list("tier__slug", flat=True)) == [
        "frontline",
        "manager",
    ]
    assert Category.objects.get(slug="billing").solve_window_minutes == 8 * 60


def test_a_password_in_the_file_never_overwrites_one_chosen_since(tmp_path):
    path = write(tmp_path, GOOD)
    init(path)
    mia = User.objects.get(username="mia")
    mia.set_password("my-own-secret-99")
    mia.save()

    init(path)

    assert User.objects.get(username="mia").check_password("my-own-secret-99")


def test_the_file_is_the_whole_list_of_a_categorys_fields_and_of_the_rota(tmp_path):
    init(write(tmp_path, GOOD))
    fewer = GOOD.replace(
        '  { key = "amount", label = "Amount charged", type = "number", required = false },\n', ""
    ).replace("from = 2026-11-01", "from = 2026-12-01")

    init(write(tmp_path, fewer))

    assert [f.key for f in Category.objects.get(slug="billing").fields.all()] == [
        "invoice",
        "method",
    ]
    assert list(ExecutiveRota.objects.values_list("starts_on", flat=True)).__len__() == 1
    assert str(ExecutiveRota.objects.get().starts_on) == "2026-12-01"


def test_an_unknown_key_is_reported_with_its_line_and_nothing_is_written(tmp_path):
    text = GOOD.replace('email = "mia@acme.example"', 'email = "mia@acme.example"\ncolour = "blue"')
    path = write(tmp_path, text)
    line = text.splitlines().index('colour = "blue"') + 1

    with pytest.raises(CommandError) as error:
        init(path)

    assert f"company.toml:{line}: unknown key 'colour'" in str(error.value)
    assert "nothing was changed" in str(error.value)
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_bad_values_are_all_reported_at_once_with_their_lines_and_nothing_is_written(tmp_path):
    text = (
        GOOD.replace('tier = "executive"\nrealtime', 'tier = "boss"\nrealtime')
        .replace('solve_window = "20h"', 'solve_window = "20x"')
        .replace('lead = "mia"', 'lead = "nobody"')
    )
    lines = text.splitlines()
    path = write(tmp_path, text)

    with pytest.raises(CommandError) as error:
        init(path)

    message = str(error.value)

    boss = lines.index('tier = "boss"') + 1
    window = lines.index('solve_window = "20x"') + 1
    lead = lines.index('lead = "nobody"') + 1
    assert f":{boss}: ed: unknown tier 'boss'" in message
    assert f":{window}: solve_window: '20x' is not" in message
    assert f":{lead}: fran: the lead 'nobody'" in message
    assert "3 problems" in message
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_a_bad_file_changes_nothing_in_an_existing_company(tmp_path):
    init(write(tmp_path, GOOD))
    before = snapshot()
    broken = GOOD.replace('name = "Acme Rail"', 'name = "Acme Trains"').replace(
        'type = "number"', 'type = "money"'
    )

    with pytest.raises(CommandError, match="unknown type 'money'"):
        init(write(tmp_path, broken))

    assert snapshot() == before
    assert Company.current().name == "Acme Rail"


def test_a_toml_syntax_error_names_its_line(tmp_path):
    path = write(tmp_path, '[company]\nname = "Acme\n')

    with pytest.raises(CommandError, match=r"company.toml:2: not valid TOML"):
        init(path)


def test_dry_run_checks_the_file_and_writes_nothing(tmp_path):
    from io import StringIO

    out = StringIO()
    call_command("init", str(write(tmp_path, GOOD)), "--dry-run", stdout=out)

    assert "is fine" in out.getvalue()
    assert Company.objects.count() == 0


def test_the_demo_company_file_is_valid_and_has_one_demo_login_per_tier(tmp_path):
    from relaydesk.setup.demo import DEMO_FILE

    init(DEMO_FILE)

    tiers = list(Tier.objects.order_by("rank").values_list("slug", flat=True))
    assert tiers == ["frontline", "specialist", "expert", "manager", "executive"]
    for slug in tiers:
        user = User.objects.get(username=slug)
        assert user.staff.tier.slug == slug
        assert user.check_password("demo")
    assert Category.objects.count() == 8
    assert 20 <= Staff.objects.count() <= 30


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("20h", 1200), ("90m", 90), ("2d", 2880), ("1d12h", 2160), ("1h30m", 90)],
)
def test_durations_read_like_people_write_them(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["20x", "", "0h", "h", 20, "-5m"])
def test_durations_that_are_not_durations_are_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)
