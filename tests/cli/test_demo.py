"""`relaydesk demo`: Northline Rail with cases in every state, built through the actions."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from relaydesk.cases.models import Case, Event, EventKind, Status
from relaydesk.org.models import Company
from relaydesk.outbox.models import OutgoingMail
from relaydesk.setup.demo import DEMO_LOGINS, build_demo

pytestmark = pytest.mark.django_db

CASES = 60


@pytest.fixture
def demo():
    return build_demo(cases=CASES, seed=7)


def test_the_demo_has_cases_in_every_state(demo):
    assert demo.built
    assert Case.objects.count() == CASES
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {Status.OPEN, Status.SOLVED, Status.CLOSED}
    kinds = set(Event.objects.values_list("kind", flat=True))
    for kind in (
        EventKind.OPENED,
        EventKind.PASSED,
        EventKind.TAKEN,
        EventKind.SOLVED,
        EventKind.REOPENED,
        EventKind.CLOSED,
        EventKind.ESCALATED,
        EventKind.TICKLED,
    ):
        assert kind in kinds, f"no {kind} event in the demo"
    assert Case.objects.filter(realtime=True).exists()


def test_every_demo_case_has_a_history_written_by_the_actions(demo):
    # Each case starts with its opened event at its opening time, and its owner and status
    # match what its last ownership and status events say.
    opened = dict(Event.objects.filter(kind=EventKind.OPENED).values_list("case_id", "at"))
    assert set(opened) == set(Case.objects.values_list("id", flat=True))
    for case in Case.objects.all():
        assert opened[case.pk] == case.opened_at
        if case.is_open:
            assert case.owner_id is not None
    solved = Case.objects.filter(status__in=[Status.SOLVED, Status.CLOSED])
    with_solved_event = solved.filter(events__kind=EventKind.SOLVED).distinct().count()
    assert with_solved_event == solved.count()


def test_demo_cases_are_spread_over_the_last_sixty_days(demo):
    from relaydesk.timekeeping import now

    oldest = Case.objects.order_by("opened_at").first().opened_at
    newest = Case.objects.order_by("-opened_at").first().opened_at
    assert (now() - oldest).days >= 30
    assert (now() - oldest).days <= 61
    assert newest <= now()
    assert Event.objects.filter(at__gt=now()).count() == 0


def test_each_demo_login_below_the_executive_owns_open_cases(demo):
    owners = dict(
        Case.objects.filter(status=Status.OPEN)
        .values_list("owner__username")
        .annotate(n=Count("id"))
        .values_list("owner__username", "n")
    )
    for username in DEMO_LOGINS[:-1]:
        assert owners.get(username, 0) >= 1, f"{username} has no open case in the demo"


def test_the_demos_old_mail_counts_as_sent(demo):
    assert not OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).exists()
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).exists()


def test_running_the_demo_twice_changes_nothing(demo):
    before = (Case.objects.count(), Event.objects.count(), OutgoingMail.objects.count())

    again = build_demo(cases=CASES, seed=7)

    assert not again.built
    assert (Case.objects.count(), Event.objects.count(), OutgoingMail.objects.count()) == before


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
