"""The worker's "left behind" step: open cases still held by someone gone (a login switched off
in the Users admin rather than let go) are handed on as if they had just left."""

import logging

from django.contrib.auth.models import User

from relaydesk.cases.leaving import handle_one_left_behind
from relaydesk.cases.models import Case, EventKind, Status
from relaydesk.clock.worker import run_due_work
from relaydesk.org.models import Staff
from tests import factories


def test_the_cases_of_a_login_switched_off_are_handed_on_by_the_worker(cast):
    cases = [factories.make_case(category=cast.billing, acting=cast.fran) for _ in range(2)]
    User.objects.filter(pk=cast.fran.pk).update(is_active=False)  # the Users page's checkbox

    done = run_due_work()

    assert done["left behind"] == 1
    for case in cases:
        case.refresh_from_db()
        assert case.owner == cast.fiona
        event = case.events.get(kind=EventKind.PASSED)
        assert (event.actor, event.from_owner, event.data["left"]) == (None, cast.fran, "fran")
    assert cast.fiona.notifications.count() == 2
    assert not Case.objects.filter(owner=cast.fran, status=Status.OPEN).exists()


def test_a_case_nobody_can_take_is_left_for_the_next_round_without_spinning(cast, caplog):
    case = factories.make_case(category=cast.billing, acting=cast.ed)  # the only executive
    Staff.objects.filter(user=cast.ed).update(active=False)

    with caplog.at_level(logging.WARNING, logger="relaydesk.cases.leaving"):
        assert handle_one_left_behind() is False

    assert Case.objects.get(pk=case.pk).owner == cast.ed
    assert f"so {case.ref} cannot pass on from Ed Exec" in caplog.text


def test_with_nobody_gone_the_step_is_one_query(cast, django_assert_num_queries):
    factories.make_case(category=cast.billing, acting=cast.fran)

    with django_assert_num_queries(1):
        assert handle_one_left_behind() is False
