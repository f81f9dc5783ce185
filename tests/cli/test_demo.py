"""`relaydesk demo`: Northline Rail with cases in every state, built through the actions."""

import pytest
from django.db import transaction
from django.db.models import Count

from relaydesk.cases.models import Case, Event, EventKind, Status, SurveyAnswer
from relaydesk.outbox.models import OutgoingMail
from relaydesk.setup.demo import DEMO_LOGINS, build_demo

pytestmark = pytest.mark.django_db

CASES = 60


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One demo for this module's tests (they only read it), built in a transaction that is
    rolled back after the last of them. Each test still runs in its own savepoint inside it, so
    what one test writes the next does not see. Tests that build their own demo live in
    test_demo_command.py: here they would find this one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(cases=CASES, seed=7)
        transaction.set_rollback(True)


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


def test_staff_write_to_demo_customers_and_customers_write_back(demo):
    replies = Event.objects.filter(kind=EventKind.REPLIED)
    assert replies.filter(actor__staff__isnull=False).exists()
    assert OutgoingMail.objects.filter(event__kind=EventKind.REPLIED).exists()
    # The customer's words come the way mail intake and the status page bring them: verified.
    words = Event.objects.filter(kind=EventKind.CUSTOMER_WROTE)
    assert {e.data["via"] for e in words} == {"reply_address", "status_page"}
    assert all(e.data["verified"] and e.actor_id is None for e in words)


def test_every_demo_solve_mails_the_customer_who_has_an_address(demo):
    solves = Event.objects.filter(kind=EventKind.SOLVED).select_related("case__customer")
    for solve in solves:
        assert bool(solve.data["mail"]) == bool(solve.case.customer.email)
    assert OutgoingMail.objects.filter(event__kind=EventKind.SOLVED).exists()


def test_some_demo_cases_wait_for_the_customer_now_and_others_were_answered(demo):
    assert Case.objects.filter(status=Status.OPEN, waiting_since__isnull=False).exists()
    asked = Event.objects.filter(kind=EventKind.REPLIED, data__waiting=True).count()
    answered = Event.objects.filter(kind=EventKind.RESUMED, data__by="customer").count()
    assert 0 < answered < asked


def test_about_one_in_five_solved_demo_cases_has_a_survey_answer(demo):
    solved = Case.objects.filter(events__kind=EventKind.SOLVED).distinct().count()
    answers = SurveyAnswer.objects.count()
    assert 0.1 <= answers / solved <= 0.35, f"{answers} answers for {solved} solved cases"
    assert Event.objects.filter(kind=EventKind.SURVEY).count() == answers
    assert {answer.rating for answer in SurveyAnswer.objects.all()} >= {1, 5}


def test_delighted_demo_customers_say_what_delighted_them(demo):
    delighted = SurveyAnswer.objects.filter(rating=5).exclude(delighted="")
    assert delighted.exists()
    assert all(answer.solved_by_id is not None for answer in delighted)


def test_a_low_demo_rating_reopens_the_case_to_its_solver(demo):
    low = SurveyAnswer.objects.filter(rating__lte=2).select_related("case")
    assert low.exists()
    for answer in low:
        reopened = Event.objects.get(
            case=answer.case, kind=EventKind.REOPENED, at=answer.answered_at
        )
        assert reopened.data["by"] == "customer"
        assert reopened.to_owner_id == answer.solved_by_id
        assert reopened.body.startswith(f"Survey: rated {answer.rating} of 5.")


def test_nothing_in_the_demos_outbox_would_go_to_a_real_address(demo):
    # Everything is marked sent (history), and every recipient is a reserved example domain.
    assert not OutgoingMail.objects.exclude(status=OutgoingMail.Status.SENT).exists()
    domains = {to.rpartition("@")[2] for to in OutgoingMail.objects.values_list("to", flat=True)}
    assert domains
    assert all(d == "example.com" or d.endswith(".example") for d in domains), domains


def test_running_the_demo_twice_changes_nothing(demo):
    before = (Case.objects.count(), Event.objects.count(), OutgoingMail.objects.count())

    again = build_demo(cases=CASES, seed=7)

    assert not again.built
    assert (Case.objects.count(), Event.objects.count(), OutgoingMail.objects.count()) == before
