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
from relaydesk.setup.company_values import parse_duration

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

    assert f'company.toml, line {line}: staff[2]: unknown key "colour"' in str(error.value)
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
    assert f', line {boss}: staff[3].tier: no tier "boss"' in message
    assert f', line {window}: categories[1].solve_window: "20x" is not a duration' in message
    assert f', line {lead}: staff[1].lead: no staff member "nobody"' in message
    assert "3 problems" in message
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_a_bad_file_changes_nothing_in_an_existing_company(tmp_path):
    init(write(tmp_path, GOOD))
    before = snapshot()
    broken = GOOD.replace('name = "Acme Rail"', 'name = "Acme Trains"').replace(
        'type = "number"', 'type = "money"'
    )

    with pytest.raises(
        CommandError, match=r'line 47: categories\[1\]\.fields\[2\]\.type: unknown type "money"'
    ):
        init(write(tmp_path, broken))

    assert snapshot() == before
    assert Company.current().name == "Acme Rail"


def test_a_toml_syntax_error_names_its_line(tmp_path):
    path = write(tmp_path, '[company]\nname = "Acme\n')

    with pytest.raises(CommandError, match=r"company.toml, line 2: not valid TOML"):
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


# ---------------------------------------------------------------- problems, each at its line


def problems_in(tmp_path: Path, text: str) -> list[str]:
    """What init says about a file it refuses, one problem a line, without the file's path."""
    with pytest.raises(CommandError) as error:
        init(write(tmp_path, text))
    header, *lines = str(error.value).splitlines()
    assert header.endswith("nothing was changed.")
    return [line.split("company.toml, ", 1)[1] for line in lines]


def line_of(text: str, needle: str, after: str = "") -> int:
    """The number of the first line holding `needle` that comes after the line holding `after`."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if after in line) if after else 0
    return next(n for n, line in enumerate(lines) if n >= start and needle in line) + 1


@pytest.mark.parametrize(
    ("anchor", "where"),
    [
        ('time_zone = "Europe/Amsterdam"', "company"),
        ('slug = "manager"', "tiers[2]"),
        ("realtime_handler = false", "staff[3]"),
        ('slug = "lost"', "categories[2]"),
        ("to = 2026-12-31", "executive_rota[1]"),
    ],
)
def test_an_unknown_key_in_any_table_is_reported_at_its_line(tmp_path, anchor, where):
    text = GOOD.replace(anchor, f"{anchor}\nshoe_size = 42", 1)

    found = problems_in(tmp_path, text)

    line = line_of(text, "shoe_size")
    assert found == [f'line {line}: {where}: unknown key "shoe_size" (known keys: {KEYS[where]})']
    assert snapshot() == dict.fromkeys(snapshot(), 0)


KEYS = {
    "company": "currency, goodwill_budget, locale, name, reassurance_script, reopen_within, "
    "support_email, time_zone, waiting_gives_up",
    "tiers[2]": "goodwill_limit, name, slug",
    "staff[3]": "active, email, lead, name, on_duty, password, realtime_handler, skills, "
    "tier, username",
    "categories[2]": "active, fields, name, realtime_triggers, slug, solve_window, tickle_after",
    "executive_rota[1]": "from, to, username",
}


def test_an_unknown_key_in_a_field_or_trigger_is_reported_at_that_fields_line(tmp_path):
    text = GOOD.replace(
        '{ key = "method", label', '{ key = "method", colour = "red", label'
    ).replace('question = "Is', 'asked = "yes", question = "Is')

    found = problems_in(tmp_path, text)

    method, travel = line_of(text, 'key = "method"'), line_of(text, 'key = "travel_today"')
    assert found == [
        f'line {method}: categories[1].fields[3]: unknown key "colour" '
        "(known keys: choices, help_text, key, label, required, type)",
        f'line {travel}: categories[1].realtime_triggers[1]: unknown key "asked" '
        "(known keys: customer_question, key, question)",
    ]


def test_an_unknown_section_and_a_misspelt_key_get_a_hint(tmp_path):
    text = GOOD.replace('password = "start', 'pasword = "start') + "\n[holidays]\nxmas = true\n"

    found = problems_in(tmp_path, text)

    assert found == [
        f'line {line_of(text, "pasword")}: staff[2]: unknown key "pasword"; '
        'did you mean "password"?',
        f'line {line_of(text, "[holidays]")}: unknown section "holidays" '
        "(known sections: categories, company, customer_words, executive_rota, phrases, "
        "staff, tiers)",
    ]


def test_several_problems_of_different_kinds_are_reported_together_in_line_order(tmp_path):
    text = (
        GOOD.replace('time_zone = "Europe/Amsterdam"', 'time_zone = "Mars/Olympus"')
        .replace('email = "fran@acme.example"', 'email = "fran at acme"')
        .replace("on_duty = true", 'on_duty = "yes"')
        .replace('tickle_after = "90m"', 'tickle_after = "soon"')
        .replace('choices = ["card", "cash"]', "choices = []")
        .replace("from = 2026-11-01", 'from = "2026-11-01"')
    )

    found = problems_in(tmp_path, text)

    assert found == [
        f'line {line_of(text, "Mars")}: company.time_zone: unknown time zone "Mars/Olympus"; '
        'use a name like "Europe/Amsterdam"',
        f'line {line_of(text, "fran at")}: staff[1].email: "fran at acme" is not an email address',
        f'line {line_of(text, "on_duty")}: staff[1].on_duty: must be true or false, not "yes"',
        f'line {line_of(text, "soon")}: categories[1].tickle_after: "soon" is not a duration; '
        'write it like "20h", "90m" or "2d"',
        f'line {line_of(text, "method")}: categories[1].fields[3]: field "method" is a choice: '
        "list its choices",
        f"line {line_of(text, 'from =')}: executive_rota[1].from: must be a date like 2026-11-01 "
        '(no quotes), not "2026-11-01"',
    ]
    assert snapshot() == dict.fromkeys(snapshot(), 0)


@pytest.mark.parametrize("duration", ['"20x"', '"0h"', '"h"', "20", '"-5m"', '""'])
def test_a_bad_duration_is_reported_at_its_line(tmp_path, duration):
    text = GOOD.replace('solve_window = "2d"', f"solve_window = {duration}")

    (found,) = problems_in(tmp_path, text)

    assert found.startswith(f"line {line_of(text, 'solve_window = ', after='lost')}: ")
    assert "categories[2].solve_window: " in found
    assert "duration" in found


@pytest.mark.parametrize(
    ("change", "at", "problem"),
    [
        (
            ('skills = ["billing"]', 'skills = ["billing", "trains"]'),
            ("trains", ""),
            'staff[1].skills: no category "trains" (categories: billing, lost)',
        ),
        (
            ('lead = "mia"', 'lead = "fran"'),
            ('lead = "fran"', ""),
            "staff[1].lead: a person cannot",
        ),
        (
            ('username = "ed"\nfrom', 'username = "mia"\nfrom'),
            ('username = "mia"', "[[executive_rota]]"),
            'executive_rota[1].username: "mia" is in tier "manager", not in the executive tier '
            '"executive"',
        ),
        (
            ('username = "ed"\nfrom', 'username = "zed"\nfrom'),
            ('username = "zed"', ""),
            'executive_rota[1].username: "zed" is not a staff member',
        ),
        (
            ("from = 2026-11-01\nto = 2026-12-31", "from = 2026-11-01\nto = 2026-10-31"),
            ("to = 2026-10-31", ""),
            "executive_rota[1].to: the entry ends (2026-10-31) before it starts (2026-11-01)",
        ),
    ],
)
def test_a_bad_cross_reference_is_reported_at_its_line(tmp_path, change, at, problem):
    text = GOOD.replace(*change)

    (found,) = problems_in(tmp_path, text)

    line = line_of(text, *at)
    assert found.startswith(f"line {line}: {problem}")


def test_a_slug_or_username_given_twice_is_reported_at_each_entry(tmp_path):
    text = GOOD.replace('username = "ed"\nname', 'username = "mia"\nname').replace(
        'slug = "lost"', 'slug = "billing"'
    )
    lines = text.splitlines()
    mia = [n + 1 for n, line in enumerate(lines) if line == 'username = "mia"']
    billing = [n + 1 for n, line in enumerate(lines) if line == 'slug = "billing"']

    found = problems_in(tmp_path, text)

    assert found == [
        f'line {mia[0]}: staff[2].username: another [[staff]] has the username "mia" too',
        f'line {mia[1]}: staff[3].username: another [[staff]] has the username "mia" too',
        f'line {billing[0]}: categories[1].slug: another [[categories]] has the slug "billing" too',
        f'line {billing[1]}: categories[2].slug: another [[categories]] has the slug "billing" too',
        f"line {line_of(text, 'username = ', after='[[executive_rota]]')}: executive_rota[1]."
        'username: "ed" is not a staff member',
    ]


def test_staff_may_refer_to_tiers_and_categories_already_in_the_database(tmp_path):
    init(write(tmp_path, GOOD))
    newcomer = """\
        [[staff]]
        username = "noor"
        tier = "manager"
        lead = "ed"
        skills = ["lost"]
    """

    output = init(write(tmp_path, newcomer, "newcomer.toml"))

    noor = Staff.objects.get(user__username="noor")
    assert (noor.tier.slug, noor.lead.user.username) == ("manager", "ed")
    assert "created 1 staff" in output


def test_a_tier_in_the_database_that_the_file_leaves_out_is_refused(tmp_path):
    init(write(tmp_path, GOOD))
    text = GOOD.replace('[[tiers]]\nslug = "manager"\nname = "Manager"\n\n', "").replace(
        'tier = "manager"', 'tier = "frontline"'
    )

    found = problems_in(tmp_path, text)

    assert found == [
        f'line {line_of(text, "[[tiers]]")}: tiers: the database has the tier "manager": list it '
        "too (init never deletes a tier)"
    ]


@pytest.mark.parametrize(
    "broken",
    [
        ('lead = "mia"', 'lead = "nobody"'),
        ('name = "Lost property"', 'name = "Lost property"\nsize = 3'),
        ('solve_window = "2d"', 'solve_window = "2 days"'),
        ("to = 2026-12-31", "to = 2025-12-31"),
    ],
)
def test_nothing_is_applied_when_the_file_has_any_problem(tmp_path, broken):
    init(write(tmp_path, GOOD))
    before = snapshot()
    renamed = GOOD.replace('name = "Acme Rail"', 'name = "Acme Trains"').replace(
        'name = "Fran Okafor"', 'name = "Fran Other"'
    )

    with pytest.raises(CommandError, match="nothing was changed"):
        init(write(tmp_path, renamed.replace(*broken)))

    assert snapshot() == before
    assert Company.current().name == "Acme Rail"
    assert User.objects.get(username="fran").last_name == "Okafor"


def test_brackets_inside_text_do_not_throw_the_line_of_a_later_field_off(tmp_path):
    text = GOOD.replace(
        '  { key = "amount", label = "Amount charged", type = "number", required = false },\n',
        '  { key = "amount", label = "Amount {in euros} [net]", type = "number" },\n'
        '  { key = "note", label = "Note # not a comment", type = "long_text" },\n',
    ).replace('{ key = "method", label = "Paid by"', '{ key = "method", label = 1')

    found = problems_in(tmp_path, text)

    method = line_of(text, 'key = "method"')
    assert found == [f"line {method}: categories[1].fields[4].label: must be text in quotes, not 1"]


def test_init_sets_how_long_a_solved_case_may_be_reopened(tmp_path):
    text = GOOD.replace(
        'time_zone = "Europe/Amsterdam"\n',
        'time_zone = "Europe/Amsterdam"\nreopen_within = "30d"\n',
    )
    init(write(tmp_path, text))
    assert Company.objects.get().reopen_within_minutes == 30 * 24 * 60

    init(write(tmp_path, text.replace('reopen_within = "30d"', 'reopen_within = "2d12h"')))
    assert Company.objects.get().reopen_within_minutes == (2 * 24 + 12) * 60

    init(write(tmp_path, GOOD))  # no key: the company keeps its window
    assert Company.objects.get().reopen_within_minutes == (2 * 24 + 12) * 60


def test_a_bad_reopen_within_is_reported_with_its_line(tmp_path):
    text = GOOD.replace(
        'time_zone = "Europe/Amsterdam"\n',
        'time_zone = "Europe/Amsterdam"\nreopen_within = "a month"\n',
    )
    line = text.splitlines().index('reopen_within = "a month"') + 1

    with pytest.raises(CommandError) as error:
        init(write(tmp_path, text))

    assert f'company.toml, line {line}: company.reopen_within: "a month" is not a duration' in str(
        error.value
    )
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_init_sets_how_long_a_case_waits_for_the_customer(tmp_path):
    assert Company().waiting_gives_up_minutes == 7 * 24 * 60  # the default: 7 days
    text = GOOD.replace(
        'time_zone = "Europe/Amsterdam"\n',
        'time_zone = "Europe/Amsterdam"\nwaiting_gives_up = "3d"\n',
    )
    init(write(tmp_path, text))
    assert Company.objects.get().waiting_gives_up_minutes == 3 * 24 * 60

    init(write(tmp_path, GOOD))  # no key: the company keeps its setting
    assert Company.objects.get().waiting_gives_up_minutes == 3 * 24 * 60


def test_a_bad_waiting_gives_up_is_reported_with_its_line(tmp_path):
    text = GOOD.replace(
        'time_zone = "Europe/Amsterdam"\n',
        'time_zone = "Europe/Amsterdam"\nwaiting_gives_up = "a week"\n',
    )
    line = text.splitlines().index('waiting_gives_up = "a week"') + 1

    with pytest.raises(CommandError) as error:
        init(write(tmp_path, text))

    assert (
        f'company.toml, line {line}: company.waiting_gives_up: "a week" is not a duration'
        in str(error.value)
    )
    assert snapshot() == dict.fromkeys(snapshot(), 0)


# ---------------------------------------------------------------- the sender, the locale, the
# customer's wording of a realtime question


SENDER = 'support_email = "help@acme.example"\nlocale = "en-GB"\n'


def with_company_keys(keys: str) -> str:
    return GOOD.replace(
        'time_zone = "Europe/Amsterdam"\n', f'time_zone = "Europe/Amsterdam"\n{keys}'
    )


def test_init_sets_the_support_address_and_the_locale_and_keeps_them_when_left_out(tmp_path):
    init(write(tmp_path, with_company_keys(SENDER)))
    company = Company.objects.get()
    assert (company.support_email, company.locale) == ("help@acme.example", "en-GB")

    init(write(tmp_path, with_company_keys('support_email = "care@acme.example"\nlocale = "nl"\n')))
    company.refresh_from_db()
    assert (company.support_email, company.locale) == ("care@acme.example", "nl")

    init(write(tmp_path, GOOD))  # no keys: the company keeps them
    company.refresh_from_db()
    assert (company.support_email, company.locale) == ("care@acme.example", "nl")


@pytest.mark.parametrize(
    ("line_text", "problem"),
    [
        ('support_email = "help at acme"', 'company.support_email: "help at acme" is not an email'),
        ('support_email = ""', 'company.support_email: "" is not an email address'),
        ('locale = "English"', 'company.locale: "English" is not a locale'),
        ('locale = "en_gb"', 'company.locale: "en_gb" is not a locale'),
        ('locale = "xx"', 'company.locale: "xx" is not a locale we can write dates for'),
    ],
)
def test_a_bad_support_address_or_locale_is_reported_at_its_line(tmp_path, line_text, problem):
    text = with_company_keys(f"{line_text}\n")

    found = problems_in(tmp_path, text)

    assert len(found) == 1
    assert found[0].startswith(f"line {line_of(text, line_text)}: {problem}")
    assert snapshot() == dict.fromkeys(snapshot(), 0)


CUSTOMER_WORDS = (
    '  { key = "travel_today", question = "Is the customer travelling within 24 hours?", '
    'customer_question = "Are you travelling within 24 hours?" },\n'
)
STAFF_WORDS = (
    '  { key = "travel_today", question = "Is the customer travelling within 24 hours?" },\n'
)


def test_init_stores_a_realtime_question_in_the_customers_words(tmp_path):
    init(write(tmp_path, GOOD.replace(STAFF_WORDS, CUSTOMER_WORDS)))
    trigger = RealtimeTrigger.objects.get(key="travel_today")
    assert trigger.question == "Is the customer travelling within 24 hours?"
    assert trigger.customer_question == "Are you travelling within 24 hours?"

    init(write(tmp_path, GOOD))  # the file is the whole trigger: no wording, none kept
    trigger.refresh_from_db()
    assert trigger.customer_question == ""


def test_a_customer_question_that_is_not_text_is_reported_at_its_line(tmp_path):
    text = GOOD.replace(
        STAFF_WORDS, CUSTOMER_WORDS.replace('"Are you travelling within 24 hours?"', "42")
    )

    found = problems_in(tmp_path, text)

    assert len(found) == 1
    assert found[0].startswith(f"line {line_of(text, 'customer_question')}:")
    assert "customer_question" in found[0]
