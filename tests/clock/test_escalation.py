"""Domain rule 6: at its deadline an unsolved case goes to the executive on duty, once."""

from datetime import date, timedelta

import pytest

from relaydesk.cases import actions
from relaydesk.cases.models import EventKind, Notification
from relaydesk.cases.notify import handle_one_digest
from relaydesk.clock import actions as clock_actions
from relaydesk.clock.sweep import handle_one_escalation_batch
from relaydesk.outbox.models import OutgoingMail
from tests import factories
from tests.clock.helpers import MONDAY_9, escalations, events, fresh, hours, put_on_rota


@pytest.fixture
def monday(time_machine, cast):
    put_on_rota(cast.ed, date(2026, 11, 1), date(2026, 11, 30))
    time_machine.move_to(MONDAY_9, tick=False)
    return time_machine


def test_a_case_is_not_escalated_a_second_before_its_deadline(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(case.deadline - timedelta(seconds=1), tick=False)
    assert handle_one_escalation_batch() is False
    assert escalations(case) == []
    assert fresh(case).owner == cast.fran


def test_at_its_deadline_the_case_goes_to_the_executive_on_duty(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(case.deadline, tick=False)
    assert handle_one_escalation_batch() is True
    case = fresh(case)
    assert case.owner == cast.ed
    assert case.tier == cast.tiers["executive"]
    assert case.escalated
    [event] = escalations(case)
    assert event.actor is None
    assert event.actor_label == "system"
    assert event.reason == "deadline"
    assert (event.from_owner, event.to_owner) == (cast.fran, cast.ed)
    assert (event.from_tier, event.to_tier) == (cast.tiers["frontline"], cast.tiers["executive"])
    assert event.at == case.deadline
    assert event.data["rota"] == "rota"


def test_the_executive_is_told_in_the_bell_at_once_and_by_email_in_the_next_digest(
    cast, monday, settings
):
    settings.DIGEST_MINUTES = 5
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(case.deadline, tick=False)
    handle_one_escalation_batch()
    [note] = Notification.objects.filter(user=cast.ed, case=case)
    assert note.text == f"{case.ref} passed its deadline and is yours now"
    assert note.mail_pending
    assert not OutgoingMail.objects.filter(to="ed@acme.example").exists()
    monday.shift(timedelta(minutes=5))
    assert handle_one_digest() is True
    [mail] = OutgoingMail.objects.filter(to="ed@acme.example", case=case)
    assert mail.subject == f"[{case.ref}] {case.ref} passed its deadline and is yours now"
    assert mail.body.startswith(f"{case.ref} passed its deadline and is yours now\n\n")
    assert f"/cases/{case.ref}" in mail.body
    assert mail.automatic
    assert mail.event == escalations(case)[0]


def test_a_case_is_escalated_once_however_often_the_sweep_runs(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(case.deadline + hours(1), tick=False)
    assert handle_one_escalation_batch() is True
    assert handle_one_escalation_batch() is False
    assert clock_actions.escalate(case) is None
    monday.shift(hours(30))
    assert handle_one_escalation_batch() is False
    assert len(escalations(case)) == 1
    assert Notification.objects.filter(user=cast.ed, case=case).count() == 1


def test_a_solved_case_is_not_escalated(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.shift(hours(19))
    actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")
    monday.move_to(case.deadline + hours(5), tick=False)
    assert handle_one_escalation_batch() is False
    assert escalations(case) == []
    assert fresh(case).owner == cast.fran


def test_a_reopened_case_escalates_again_at_its_new_deadline_and_only_then(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(case.deadline, tick=False)
    handle_one_escalation_batch()
    actions.solve(fresh(case), acting=cast.ed, resolution="Refunded", one_off_reason="Typo")
    monday.shift(hours(2))
    actions.reopen(case, acting=None, why="Charged again", by_customer=True)
    reopened = fresh(case)
    assert not reopened.escalated
    monday.move_to(reopened.deadline - timedelta(seconds=1), tick=False)
    assert handle_one_escalation_batch() is False
    monday.move_to(reopened.deadline, tick=False)
    assert handle_one_escalation_batch() is True
    first, second = escalations(case)
    assert (first.data["opening"], second.data["opening"]) == (1, 2)


def test_the_realtime_lane_escalates_after_one_hour(cast, monday):
    case = factories.make_case(
        category=cast.billing, acting=cast.fran, realtime_triggers=["travel_today"]
    )
    monday.move_to(MONDAY_9 + hours(1) - timedelta(seconds=1), tick=False)
    assert handle_one_escalation_batch() is False
    monday.move_to(MONDAY_9 + hours(1), tick=False)
    assert handle_one_escalation_batch() is True
    assert fresh(case).owner == cast.ed


def test_a_case_the_executive_already_owns_is_still_marked_escalated(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.ed)
    monday.move_to(case.deadline, tick=False)
    assert handle_one_escalation_batch() is True
    case = fresh(case)
    assert case.escalated
    assert case.owner == cast.ed
    [event] = escalations(case)
    assert (event.from_owner, event.to_owner) == (cast.ed, cast.ed)
    assert Notification.objects.filter(user=cast.ed, event=event).count() == 1


def test_with_nobody_on_duty_the_first_active_executive_gets_it_with_a_warning(cast, monday):
    factories.make_staff("zed", cast.tiers["executive"], name="Zed Later")
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(MONDAY_9 + timedelta(days=30), tick=False)  # December: nobody on the rota
    handle_one_escalation_batch()
    assert fresh(case).owner == cast.ed  # the first active executive, not zed
    [warning] = events(case, EventKind.WARNING)
    assert warning.actor is None
    assert "Nobody is on the executive rota for 2026-12-23" in warning.body
    assert escalations(case)[0].data["rota"] == "fallback"


def test_with_no_active_executive_at_all_the_case_stays_put_and_says_why(cast, monday):
    ed = cast.ed.staff
    ed.active = False
    ed.save()
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(case.deadline, tick=False)
    assert handle_one_escalation_batch() is True
    case = fresh(case)
    assert case.owner == cast.fran
    assert case.escalated
    [warning] = events(case, EventKind.WARNING)
    assert "no active executive" in warning.body
    assert handle_one_escalation_batch() is False


def test_a_batch_escalates_the_most_overdue_cases_first(cast, monday):
    late = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.shift(hours(1))
    later = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.shift(hours(25))
    assert handle_one_escalation_batch(limit=1) is True
    assert escalations(late) and not escalations(later)
    assert handle_one_escalation_batch(limit=1) is True
    assert escalations(later)


def test_an_escalation_batch_costs_a_fixed_number_of_queries_per_case(
    cast, monday, django_assert_max_num_queries
):
    for _ in range(10):
        factories.make_case(category=cast.billing, acting=cast.fran)
    monday.shift(hours(21))
    # Per case: its savepoint pair, lock, read, update, event, the spells (the holder's
    # ended, the executive's begun: cases.spells), the company's zone and the day's count
    # (cases.day_counts), bell line. Per batch: the claim, the rota (company, range), the test
    # transaction's savepoint pair, and the day's count made once (savepoint, insert, release).
    with django_assert_max_num_queries(10 * 11 + 8):
        assert handle_one_escalation_batch() is True
    assert Notification.objects.filter(user=cast.ed).count() == 10


def test_escalate_is_an_action_of_its_own(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(case.deadline, tick=False)
    event = clock_actions.escalate(case)
    assert event == escalations(case)[0]
    assert fresh(case).owner == cast.ed
    [line] = Notification.objects.filter(event=event)
    assert (line.user, line.case, line.created_at) == (cast.ed, case, case.deadline)


def test_an_idle_escalation_sweep_is_one_query(cast, monday, django_assert_num_queries):
    factories.make_case(category=cast.billing, acting=cast.fran)
    # One SELECT; inside the test's own transaction the batch's transaction is a savepoint pair.
    with django_assert_num_queries(3) as context:
        assert handle_one_escalation_batch() is False
    assert [q["sql"].split()[0] for q in context.captured_queries].count("SELECT") == 1


def test_escalated_cases_get_their_own_category_tickle_interval(cast, monday):
    hourly = factories.make_category(
        slug="outages",
        name="Outages",
        tickle_after_minutes=60,
        fields=[{"key": "invoice", "label": "Invoice", "type": "short_text", "required": True}],
    )
    billing = factories.make_case(category=cast.billing, acting=cast.fran)
    outage = factories.make_case(category=hourly, acting=cast.fran)
    moment = billing.deadline + hours(2)
    monday.move_to(moment, tick=False)
    assert handle_one_escalation_batch() is True
    billing, outage = fresh(billing), fresh(outage)
    assert (billing.owner, outage.owner) == (cast.ed, cast.ed)
    assert billing.next_tickle_at == moment + hours(4)
    assert outage.next_tickle_at == moment + hours(1)
    for case in (billing, outage):
        assert (case.last_activity_at, case.owner_active_at, case.tickle_count) == (
            moment,
            moment,
            0,
        )


def test_a_storm_of_escalations_gives_the_executive_one_digest_and_a_bell_line_each(
    cast, monday, settings
):
    settings.DIGEST_MINUTES = 5
    cases = [factories.make_case(category=cast.billing, acting=cast.fran) for _ in range(30)]
    monday.shift(hours(21))
    while handle_one_escalation_batch(limit=7):
        pass
    assert Notification.objects.filter(user=cast.ed).count() == 30
    assert handle_one_digest() is False  # the window is still open
    monday.shift(timedelta(minutes=5))
    assert handle_one_digest() is True
    assert handle_one_digest() is False
    [digest] = OutgoingMail.objects.filter(to="ed@acme.example")
    assert digest.subject.startswith("30 updates for you")
    for case in cases:
        assert f"{case.ref} passed its deadline and is yours now" in digest.body
    assert set(Notification.objects.filter(user=cast.ed).values_list("mail", flat=True)) == {
        digest.pk
    }


def test_escalate_refuses_a_case_whose_deadline_is_still_ahead(cast, monday):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    monday.move_to(case.deadline - timedelta(seconds=1), tick=False)
    assert clock_actions.escalate(case) is None
    assert escalations(case) == []
    assert not fresh(case).escalated
    assert not Notification.objects.filter(case=case).exists()
