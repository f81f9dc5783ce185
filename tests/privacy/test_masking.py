"""Rule 15's masks, and what they do with odd values."""

import pytest

from relaydesk.privacy.masking import (
    hide_in_data,
    hide_in_text,
    mask_addresses,
    mask_email,
    mask_phone,
)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("fran@example.org", "f•••@example.org"),
        ("Fran.Okafor@Mail.Example.org", "F•••@Mail.Example.org"),
        ("a@b.example", "a•••@b.example"),  # a one-letter local part: still only its letter
        ("no-at-sign", "n•••"),  # not an address: the first character only
        ("@example.org", "•••@example.org"),  # no local part at all
        ("odd@local@example.org", "o•••@example.org"),  # the last @ starts the domain
        ("  carla@example.com ", "c•••@example.com"),
        ("", ""),
        (None, ""),
    ],
)
def test_an_email_shows_its_first_letter_and_its_domain(stored, shown):
    assert mask_email(stored) == shown


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+31 20 123 4437", "+31 •• ••• 437"),  # rule 15's own example
        ("+31201234437", "+31 •• ••• 437"),  # no spaces: the code from the E.164 zones
        ("0031 20 123 4437", "+31 •• ••• 437"),  # 00 instead of +
        ("+1 (555) 123-4567", "+1 •• ••• 567"),
        ("+15551234567", "+1 •• ••• 567"),
        ("+353 1 234 5678", "+353 •• ••• 678"),
        ("+3531234 5678", "+353 •• ••• 678"),
        ("+7 912 345 67 89", "+7 •• ••• 789"),
        ("020 123 4437", "•• ••• 437"),  # no country code: none shown
        ("06-12345678", "•• ••• 678"),
        ("112", "•••"),  # too short to hide anything: nothing shown
        ("+31 4437", "+31 •••"),
        ("call me", "•••"),  # no digits
        ("", ""),
        (None, ""),
    ],
)
def test_a_phone_shows_its_country_code_and_last_three_digits(stored, shown):
    assert mask_phone(stored) == shown


def test_a_mask_never_holds_more_than_three_of_the_numbers_digits():
    number = "+44 7700 900123"
    shown = mask_phone(number)
    assert shown == "+44 •• ••• 123"
    assert "7700" not in shown and "900" not in shown


def test_lines_that_quote_the_address_or_number_quote_the_masks():
    text = "Acknowledgement sent to carla@example.com; she called from +31 20 123 4437."
    hidden = hide_in_text(text, email="carla@example.com", phone="+31 20 123 4437")
    assert hidden == "Acknowledgement sent to c•••@example.com; she called from +31 •• ••• 437."
    data = {"to": "carla@example.com", "list": ["x carla@example.com"], "n": 3}
    assert hide_in_data(data, email="carla@example.com", phone="") == {
        "to": "c•••@example.com",
        "list": ["x c•••@example.com"],
        "n": 3,
    }


def test_every_address_in_a_free_text_is_masked():
    text = "Sam attached a message from carla@example.com (cc <olga.o@example.org>); fran@acme"
    assert mask_addresses(text) == (
        "Sam attached a message from c•••@example.com (cc <o•••@example.org>); fran@acme"
    )
    assert mask_addresses("") == ""
