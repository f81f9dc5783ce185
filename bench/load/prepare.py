"""A fresh company for the load run, a small history made through the actions, and sessions.

50 staff across five tiers (the company file below, loaded by `relaydesk init`), each with a
few cases of their own (opened at staff intake, some with a note and a reply), a signed-in
session per person (made here, so the run does not start with 50 password hashes), and the
cases whose deadline falls during the run (opened with the clock moved back, through
`open_case` like every other case).
"""

import random
from datetime import date, datetime, timedelta
from pathlib import Path

# Bottom first; the last one is the executive tier. 25 + 12 + 7 + 4 + 2 = 50 staff.
TIERS = [("frontline", 25), ("specialist", 12), ("expert", 7), ("manager", 4), ("executive", 2)]
SUPPORT = "support@load-rail.example"
CATEGORIES = ("tickets", "refunds")
SOLVE_WINDOW = timedelta(hours=20)  # the categories' solve_window below


def company_toml(today: date) -> str:
    lines = [
        "[company]",
        'name = "Load Rail"',
        'time_zone = "Europe/Amsterdam"',
        f'support_email = "{SUPPORT}"',
        "",
    ]
    for slug, _count in TIERS:
        lines += ["[[tiers]]", f'slug = "{slug}"', f'name = "{slug.title()}"', ""]
    for slug in CATEGORIES:
        lines += [
            "[[categories]]",
            f'slug = "{slug}"',
            f'name = "{slug.title()}"',
            'solve_window = "20h"',
            'tickle_after = "4h"',
            "",
        ]
    for username, tier, lead in staff_list():
        lines += [
            "[[staff]]",
            f'username = "{username}"',
            f'name = "{username.title()} Load"',
            f'email = "{username}@load-rail.example"',
            f'tier = "{tier}"',
            *([f'lead = "{lead}"'] if lead else []),
            "on_duty = true",
            "",
        ]
    lines += [
        "[[executive_rota]]",
        'username = "executive1"',
        f"from = {today - timedelta(days=2)}",
        f"to = {today + timedelta(days=2)}",
        "",
    ]
    return "\n".join(lines)


def staff_list() -> list[tuple[str, str, str]]:
    """(username, tier, lead): everyone's lead is the first person of the tier above."""
    people = []
    for index, (tier, count) in enumerate(TIERS):
        above = TIERS[index + 1][0] if index + 1 < len(TIERS) else ""
        for number in range(1, count + 1):
            people.append((f"{tier}{number}", tier, f"{above}1" if above else ""))
    return people


def seed_company(home: Path) -> None:
    from django.core.management import call_command

    from relaydesk.timekeeping import now

    path = home / "load-company.toml"
    path.write_text(company_toml(now().date()))
    call_command("init", str(path), verbosity=0)


def seed_history(per_person: int) -> int:
    """Each person opens `per_person` cases at staff intake; some get a note and a reply."""
    from django.contrib.auth.models import User

    from relaydesk.cases import actions
    from relaydesk.org.models import Category

    chance = random.Random(18)  # the same history every run
    categories = list(Category.objects.order_by("slug"))
    opened = 0
    for user in User.objects.filter(staff__isnull=False).order_by("username"):
        for number in range(per_person):
            case = actions.open_case(
                customer_name=f"Traveller {user.pk}-{number}",
                customer_email=f"traveller.{user.pk}.{number}@customers.example",
                category=categories[number % len(categories)],
                subject=f"Card charged twice for ticket {user.pk}{number:03d}",
                acting=user,
            )
            opened += 1
            if chance.random() < 0.5:
                actions.add_note(case, acting=user, body="Checked the booking: two charges.")
            if chance.random() < 0.3:
                actions.reply(
                    case,
                    acting=user,
                    body="Thank you for telling us. I can see both charges and I am on it.",
                )
    return opened


def sessions() -> dict[str, str]:
    """A signed-in session for every staff member (Django's own login, no password hash)."""
    from django.contrib.auth.models import User
    from django.test import Client

    keys = {}
    for user in User.objects.filter(staff__isnull=False).order_by("username"):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        keys[user.username] = client.session.session_key
    return keys


def seed_due(deadlines: list[datetime]) -> list[int]:
    """A case for each deadline, opened SOLVE_WINDOW before it (frontline intake), so the
    worker must escalate each during the run. Returns their ids."""
    import time_machine
    from django.contrib.auth.models import User

    from relaydesk.cases import actions
    from relaydesk.org.models import Category

    category = Category.objects.get(slug=CATEGORIES[0])
    frontline = list(User.objects.filter(username__startswith="frontline").order_by("pk"))
    ids = []
    for number, deadline in enumerate(deadlines):
        with time_machine.travel(deadline - SOLVE_WINDOW, tick=False):
            case = actions.open_case(
                customer_name=f"Due traveller {number}",
                customer_email=f"due.{number}@customers.example",
                category=category,
                subject=f"Refund still missing after three weeks ({number})",
                acting=frontline[number % len(frontline)],
            )
        ids.append(case.pk)
    return ids
