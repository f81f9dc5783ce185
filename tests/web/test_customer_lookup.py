"""The customer lookup shared by intake and the header search, by a phone's last digits:
read from `phone_key` (the digits last first), which every way of writing a phone keeps."""

import pytest

from relaydesk.cases import erasure
from relaydesk.cases.models import Customer
from relaydesk.web.intake_lookup import customers_matching
from tests import factories


def found(query: str) -> list[str] | None:
    rows = customers_matching(query, limit=20, name_anywhere=True)
    return None if rows is None else [row.name for row in rows]


@pytest.mark.django_db
def test_a_phone_is_found_by_its_last_digits_however_either_is_written():
    factories.make_customer(name="Dana Ruiz", email="dana@example.com", phone="+31 (6) 5555-1234")
    factories.make_customer(name="Piet Post", email="piet@example.com", phone="+31 6 1234 5555")

    assert found("551234") == ["Dana Ruiz"]
    assert found("55 51 234") == ["Dana Ruiz"]
    assert found("+31 6 5555 1234") == ["Dana Ruiz"]
    assert found("345555") == ["Piet Post"]
    assert found("1234 5555") == ["Piet Post"]
    assert found("12345") is None  # fewer than 6 digits would let anyone probe
    assert found("999999") == []


@pytest.mark.django_db
def test_digits_ending_in_nines_and_zeros_find_exactly_their_numbers():
    for name, phone in [
        ("Nines", "020 799 9999"),
        ("Zeros", "020 100 0000"),
        ("Other", "020 800 0000"),
    ]:
        factories.make_customer(name=name, email=f"{name.lower()}@example.com", phone=phone)

    assert found("999999") == ["Nines"]
    assert found("7999999") == ["Nines"]
    assert found("1000000") == ["Zeros"]
    assert sorted(found("000000")) == ["Other", "Zeros"]


@pytest.mark.django_db
def test_a_changed_or_erased_phone_is_no_longer_found_by_the_old_digits(cast):
    customer = factories.make_customer(name="Dana Ruiz", phone="+31 6 5555 1234")
    customer.phone = "+44 7700 900123"
    customer.save(update_fields=["phone"])
    assert found("551234") == []
    assert found("900123") == ["Dana Ruiz"]

    factories.make_case(category=cast.billing, acting=cast.fran, customer=customer)
    erasure.erase_customer(customer, acting=None, why="asked to be forgotten")

    assert found("900123") == []
    assert Customer.objects.get(pk=customer.pk).phone_key == ""


@pytest.mark.django_db
def test_part_of_a_name_from_three_letters_and_a_names_start_from_two():
    factories.make_customer(name="Jun Tanaka", email="jun@example.com")
    factories.make_customer(name="Anna Junker", email="anna@example.com")

    assert found("jun") == ["Anna Junker", "Jun Tanaka"]
    assert found("UNK") == ["Anna Junker"]
    assert found("ju") == ["Jun Tanaka"]  # two letters: a name's start
    assert found("j") is None


@pytest.mark.django_db
def test_a_part_many_names_share_lists_twenty_in_name_order():
    for number in range(250):
        factories.make_customer(name=f"Lee {number:03d}", email=f"lee{number}@example.com")

    names = found("lee")

    assert len(names) == 20
    assert names == sorted(names)
