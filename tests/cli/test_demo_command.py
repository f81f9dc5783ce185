"""`relaydesk demo` as a command, and the story it tells: tests that build their own demo (or
none), apart from test_demo.py's one shared demo."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from relaydesk.cases.models import Case
from relaydesk.org.models import Company
from relaydesk.setup.demo import DEMO_LOGINS

pytestmark = pytest.mark.django_db


def test_the_same_seed_tells_the_same_story():
    import random

    from relaydesk.setup.company_apply import apply_company_file
    from relaydesk.setup.demo import DEMO_FILE, Builder
    from relaydesk.timekeeping import now

    apply_company_file(DEMO_FILE)
    until = now()

    def stories(seed):
        builder = Builder(random.Random(seed), until, None)
        return [
            (story.category.slug, story.opened_at, [step.kind for step in story.steps])
            for story in builder.stories(50)
        ]

    assert stories(3) == stories(3)
    assert stories(3) != stories(4)


def test_the_demo_command_prints_the_logins():
    out = StringIO()
    call_command("demo", "--cases", "25", stdout=out)

    text = out.getvalue()
    assert "Built the demo: 25 cases" in text
    for username in DEMO_LOGINS:
        assert f"{username}" in text
    assert "demo" in text


def test_the_demo_will_not_load_into_another_company():
    Company.objects.create(name="Acme Rail")

    with pytest.raises(CommandError, match="already holds the company 'Acme Rail'"):
        call_command("demo", "--cases", "5", stdout=StringIO())

    assert Case.objects.count() == 0
