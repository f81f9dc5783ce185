"""merge_customers: two customer rows that are one person become one; nothing is lost."""

import pytest

from relaydesk.cases import actions
from relaydesk.cases.dismissal import NotAllowed
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import Case, Customer, EventKind
from tests.cases.written import nothing_written
from tests.factories import make_case, make_customer


@pytest.fixture
def by_email(cast) -> Customer:
    return make_customer("Carla Mendes", "carla@example.com")


@pytest.fixture
def by_phone(cast) -> Customer:
    return make_customer("C. Mendes", "", "+31 6 1234 5437")


def test_the_cases_move_to_the_kept_customer_with_an_event_each(cast, by_email, by_phone):
    called = [
        make_case(category=cast.billing, acting=cast.fran, customer=by_phone) for _ in range(2)
    ]
    mailed = make_case(category=cast.billing, acting=cast.fran, customer=by_email)

    kept = actions.merge_customers(by_phone, into=by_email, acting=cast.mia)

    assert kept == by_email
    assert set(Case.objects.filter(customer=by_email)) == {*called, mailed}
    assert not Case.objects.filter(customer=by_phone).exists()
    for case in called:
        event = case.events.get(kind=EventKind.CUSTOMER_MERGED)
        assert event.actor == cast.mia
        assert event.data == {"from_customer": by_phone.pk, "into_customer": by_email.pk}
    assert not mailed.events.filter(kind=EventKind.CUSTOMER_MERGED).exists()


def test_the_kept_customer_keeps_the_others_contact_details(cast, by_email, by_phone):
    actions.merge_customers(by_phone, into=by_email, acting=cast.mia)

    kept = Customer.objects.get(pk=by_email.pk)
    assert (kept.name, kept.email, kept.phone) == (
        "Carla Mendes",
        "carla@example.com",
        "+31 6 1234 5437",  # it had none: it takes the other's
    )
    [record] = kept.other_contacts
    assert {k: record[k] for k in ("customer", "name", "email", "phone")} == {
        "customer": by_phone.pk,
        "name": "C. Mendes",
        "email": "",
        "phone": "+31 6 1234 5437",
    }
    other = Customer.objects.get(pk=by_phone.pk)
    assert (other.merged_into_id, other.name, other.phone) == (
        kept.pk,
        "C. Mendes",
        "+31 6 1234 5437",
    )


def test_a_second_address_is_recorded_not_lost(cast, by_email):
    work = make_customer("Carla Mendes", "c.mendes@work.example")

    actions.merge_customers(work, into=by_email, acting=cast.mia)

    kept = Customer.objects.get(pk=by_email.pk)
    assert kept.email == "carla@example.com"
    assert [c["email"] for c in kept.other_contacts] == ["c.mendes@work.example"]


def test_a_new_case_for_the_merged_address_finds_the_kept_customer(cast, by_email):
    work = make_customer("Carla Mendes", "c.mendes@work.example")
    actions.merge_customers(work, into=by_email, acting=cast.mia)

    case = actions.open_case(
        customer_email="c.mendes@work.example",
        customer_name="Carla",
        category=cast.billing,
        subject="Another question",
        details={"invoice": "INV-2"},
    )

    assert case.customer == by_email


def test_customers_merged_before_follow_to_the_new_kept_one(cast, by_email, by_phone):
    third = make_customer("Carla M", "carla.m@example.net")
    actions.merge_customers(third, into=by_phone, acting=cast.mia)

    actions.merge_customers(by_phone, into=by_email, acting=cast.mia)

    assert Customer.objects.get(pk=third.pk).merged_into_id == by_email.pk
    kept = Customer.objects.get(pk=by_email.pk)
    assert [c["customer"] for c in kept.other_contacts] == [third.pk, by_phone.pk]


def test_the_owner_of_an_open_case_of_either_may_merge_them(cast, by_email, by_phone):
    make_case(category=cast.billing, acting=cast.sam, customer=by_phone)

    actions.merge_customers(by_phone, into=by_email, acting=cast.sam)

    assert Customer.objects.get(pk=by_phone.pk).merged_into_id == by_email.pk


def test_anyone_else_who_leads_nobody_may_not(cast, by_email, by_phone):
    case = make_case(category=cast.billing, acting=cast.fran, customer=by_phone)

    with nothing_written(case), pytest.raises(NotAllowed):
        actions.merge_customers(by_phone, into=by_email, acting=cast.sam)


def test_a_customer_is_not_merged_into_themselves_nor_twice(cast, by_email, by_phone):
    with pytest.raises(Incomplete):
        actions.merge_customers(by_email, into=by_email, acting=cast.mia)

    actions.merge_customers(by_phone, into=by_email, acting=cast.mia)

    with pytest.raises(DomainError, match="was merged into customer"):
        actions.merge_customers(by_phone, into=by_email, acting=cast.mia)
    other = make_customer("Someone", "someone@example.com")
    with pytest.raises(DomainError, match="merge into that one instead"):
        actions.merge_customers(other, into=by_phone, acting=cast.mia)


def test_after_merging_customers_their_duplicate_cases_can_be_merged(cast, by_email, by_phone):
    first = make_case(category=cast.billing, acting=cast.fran, customer=by_email)
    second = make_case(category=cast.billing, acting=cast.fran, customer=by_phone)
    with pytest.raises(DomainError, match="merge the customers first"):
        actions.merge_cases(second, into=first, acting=cast.fran)

    actions.merge_customers(by_phone, into=by_email, acting=cast.fran)
    actions.merge_cases(second, into=first, acting=cast.fran)

    assert Case.objects.get(pk=second.pk).merged_into_id == first.pk


def test_a_case_opened_for_the_merged_row_goes_to_the_kept_customer(cast, by_email, by_phone):
    actions.merge_customers(by_phone, into=by_email, acting=cast.mia)
    chosen = Customer.objects.get(pk=by_phone.pk)  # as intake picks a customer by its id

    case = make_case(category=cast.billing, acting=cast.fran, customer=chosen)

    assert case.customer == by_email
