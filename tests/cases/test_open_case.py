"""open_case: domain rule 1, the deadline, the acknowledgement, and every refusal."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import EventKind
from relaydesk.clock.worker import run_due_work
from relaydesk.org.models import Staff
from relaydesk.outbox.models import OutgoingMail
from tests.cases.written import deactivated, nothing_written
from tests.factories import make_case, make_category, make_customer, make_staff
from tests.status_helpers import is_link_of, token_in

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_staff_intake_makes_the_intake_person_the_first_owner(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    assert case.owner == cast.fran
    assert case.tier == cast.tiers["frontline"]
    assert case.status == "open"
    assert case.ref.startswith("RD-")
    opened = case.events.get(kind=EventKind.OPENED)
    assert (opened.actor, opened.to_owner, opened.to_tier) == (
        cast.fran,
        cast.fran,
        cast.tiers["frontline"],
    )


def test_a_specialist_taking_an_intake_call_owns_it_at_their_tier(cast):
    case = make_case(category=cast.billing, acting=cast.sam)

    assert case.owner == cast.sam
    assert case.tier == cast.tiers["specialist"]


def test_email_intake_routes_to_the_least_loaded_on_duty_frontline_person(cast):
    make_case(category=cast.billing, acting=cast.fran)  # fran now has one open case

    case = make_case(category=cast.billing, acting=None, channel="email")

    assert case.owner == cast.fiona
    opened = case.events.get(kind=EventKind.OPENED)
    assert opened.actor is None  # the system
    assert opened.data["channel"] == "email"


def test_routed_intake_skips_people_off_duty(cast):
    Staff.objects.filter(user=cast.fran).update(on_duty=False)

    cases = [make_case(category=cast.billing, channel="web") for _ in range(3)]

    assert {case.owner for case in cases} == {cast.fiona}


def test_routed_intake_climbs_the_tiers_when_no_frontline_person_is_on_duty(cast):
    Staff.objects.filter(tier=cast.tiers["frontline"]).update(on_duty=False)

    case = make_case(category=cast.billing, channel="api")

    assert case.owner == cast.sam


def test_the_routed_owner_is_told_and_the_intake_person_is_not(cast):
    by_phone = make_case(category=cast.billing, acting=cast.fran)
    by_mail = make_case(category=cast.billing, channel="email")

    assert not by_phone.notification_set.exists()
    assert by_mail.notification_set.get().user == by_mail.owner


def test_the_deadline_is_twenty_hours_after_opening_by_default(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=cast.billing, acting=cast.fran)

    assert case.opened_at == MONDAY_NINE
    assert case.deadline == MONDAY_NINE + timedelta(hours=20)
    assert case.events.get(kind=EventKind.OPENED).data["deadline"] == case.deadline.isoformat()


def test_the_deadline_follows_the_category_solve_window(cast):
    travel = make_category("travel", "Travel", solve_window_minutes=90)

    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=travel, acting=cast.fran, details={})

    assert case.deadline == MONDAY_NINE + timedelta(minutes=90)


def test_a_realtime_trigger_puts_the_case_in_the_one_hour_lane(cast):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(
            category=cast.billing, acting=cast.fran, realtime_triggers=["travel_today"]
        )

    assert case.realtime is True
    assert case.deadline == MONDAY_NINE + timedelta(hours=1)
    assert case.events.get(kind=EventKind.OPENED).data["realtime_triggers"] == ["travel_today"]


def test_a_realtime_case_goes_to_an_on_duty_realtime_handler(cast):
    handler = make_staff("rita", cast.tiers["frontline"], realtime_handler=True)

    case = make_case(category=cast.billing, acting=cast.fran, realtime_triggers=["travel_today"])

    assert case.owner == handler.user


def test_the_customer_gets_an_acknowledgement_with_ref_promise_and_status_link(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    acknowledged = case.events.get(kind=EventKind.ACKNOWLEDGED)
    mail = OutgoingMail.objects.get(case=case, to="carla@example.com")
    assert mail.event == acknowledged
    assert mail.status == OutgoingMail.Status.QUEUED
    assert mail.automatic is True
    assert case.ref in mail.subject
    assert case.ref in mail.body
    token = token_in(mail.body)
    assert is_link_of(case, token)
    # The timeline keeps what was sent, but never the secret link's token.
    assert acknowledged.body == mail.body.replace(token, "•••")
    assert token not in str(acknowledged.data)


def test_a_customer_without_email_gets_no_mail_but_the_case_opens(cast):
    customer = make_customer(name="Phone Only", email="", phone="+31 20 555 0000")

    case = make_case(category=cast.billing, acting=cast.fran, customer=customer)

    assert not OutgoingMail.objects.filter(case=case).exists()
    assert [e.kind for e in case.events.all()] == [EventKind.OPENED]


def test_details_are_cleaned_to_the_category_fields(cast):
    case = make_case(
        category=cast.billing, acting=cast.fran, details={"invoice": " INV-7 ", "amount": "12.50"}
    )

    assert case.details == {"invoice": "INV-7", "amount": 12.5}


def test_a_case_may_open_with_required_details_still_missing(cast):
    case = make_case(category=cast.billing, acting=cast.fran, details={})

    assert case.details == {}


def test_find_or_create_customer_reuses_the_customer_with_that_email(cast):
    first = actions.find_or_create_customer(name="Carla", email="Carla@Example.com")
    again = actions.find_or_create_customer(name="C. Mendes", email="carla@example.com")

    assert again == first
    assert first.email == "carla@example.com"


@pytest.mark.parametrize(
    ("changes", "error", "sentence"),
    [
        ({"subject": "   "}, Incomplete, "Write a subject."),
        ({"subject": "x" * 301}, Incomplete, "Keep a subject under 300 characters."),
        ({"channel": "pigeon"}, Incomplete, "Unknown channel 'pigeon'."),
        (
            {"realtime_triggers": ["volcano"]},
            Incomplete,
            "Billing has no realtime trigger volcano.",
        ),
        ({"details": {"colour": "red"}}, Incomplete, "Billing has no field 'colour'"),
        ({"details": {"amount": "lots"}}, Incomplete, "amount: Enter a number."),
    ],
)
def test_open_case_refuses_bad_input_and_writes_nothing(cast, changes, error, sentence):
    arguments = {
        "customer": make_customer(),
        "category": cast.billing,
        "subject": "Charged twice",
        "details": {"invoice": "INV-1"},
        "channel": "phone",
        "acting": cast.fran,
    } | changes

    with nothing_written(), pytest.raises(error) as refused:
        actions.open_case(**arguments)

    assert sentence in refused.value.message


def test_a_category_no_longer_taking_cases_refuses_new_ones(cast):
    cast.billing.active = False
    cast.billing.save()
    customer = make_customer()

    with nothing_written(), pytest.raises(DomainError) as refused:
        make_case(category=cast.billing, acting=cast.fran, customer=customer)

    assert refused.value.message == "Billing is no longer taking new cases."


def test_inactive_staff_cannot_open_a_case(cast):
    fran = deactivated(cast.fran)
    customer = make_customer()

    with nothing_written(), pytest.raises(DomainError) as refused:
        make_case(category=cast.billing, acting=fran, customer=customer)

    assert refused.value.message == "Fran Okafor is not active staff, so cannot act on cases."


def test_routed_intake_with_nobody_on_duty_refuses_and_writes_nothing(cast):
    Staff.objects.update(on_duty=False)
    customer = make_customer()

    with nothing_written(), pytest.raises(DomainError) as refused:
        make_case(category=cast.billing, channel="email", customer=customer)

    assert refused.value.message == "Nobody is on duty to take a Billing case."


@pytest.mark.parametrize(
    "subject",
    [
        "Charged twice\r\nfor my ticket",
        "Charged twice \n\n  for my ticket",
        "Charged twice\rfor my ticket",
        "Charged twice\u2028for my ticket",
        "Charged twice\x0bfor my ticket",
        "Charged twice\x0cfor my ticket",
        "Charged twice\x85for my ticket",
    ],
)
def test_a_subject_with_line_breaks_is_kept_on_one_line_and_its_mails_go_out(
    cast, settings, mailoutbox, subject
):
    with time_machine.travel(MONDAY_NINE, tick=False):
        case = make_case(category=cast.billing, channel="web", subject=subject)
    with time_machine.travel(MONDAY_NINE + timedelta(minutes=settings.DIGEST_MINUTES + 1)):
        run_due_work()

    assert case.subject == "Charged twice for my ticket"
    assert case.events.get(kind=EventKind.OPENED).body == "Charged twice for my ticket"
    sent = {message.to[0]: message.subject for message in mailoutbox}
    assert sent == {
        "carla@example.com": f"[{case.ref}] We have your case: Charged twice for my ticket",
        case.owner.email: f"[{case.ref}] {case.ref} is yours: Charged twice for my ticket",
    }
    assert not OutgoingMail.objects.exclude(status=OutgoingMail.Status.SENT).exists()
