"""The kinds of value a company file holds, as annotated types its pydantic models use.

Each check refuses with a sentence that names the value the way the file writes it, so the
person editing the file sees what to change (toml_source puts it at its line).
"""

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated
from zoneinfo import ZoneInfo

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from relaydesk.org.dates import has_formats
from relaydesk.org.models import FieldType
from relaydesk.replies.phrases import principle_named, principle_words
from relaydesk.setup.toml_source import written

DURATION_RE = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*$")


def problem(sentence: str) -> PydanticCustomError:
    """A refusal in plain words (as context, so braces in it are never read as a template)."""
    return PydanticCustomError("company_file", "{sentence}", {"sentence": sentence})


def parse_duration(text: object) -> int:
    """Minutes in "20h", "90m", "2d" or combinations like "1d12h"; ValueError otherwise."""
    if not isinstance(text, str):
        raise ValueError(f'write a duration as text such as "20h", "90m" or "2d", not {text!r}')
    match = DURATION_RE.match(text)
    if not match or not any(match.groups()):
        raise ValueError(f'{written(text)} is not a duration; write it like "20h", "90m" or "2d"')
    days, hours, minutes = (int(part or 0) for part in match.groups())
    if days * 24 * 60 + hours * 60 + minutes <= 0:
        raise ValueError(f"{written(text)} is not a duration longer than zero")
    return days * 24 * 60 + hours * 60 + minutes


def _passes(validator: Callable[[str], object]) -> Callable[[str], bool]:
    """A Django validator (or a constructor that raises) as a yes-or-no question."""

    def passes(value: str) -> bool:
        try:
            validator(value)
        except (ValidationError, LookupError, ValueError):
            return False
        return True

    return passes


def _check(is_fine: Callable[[str], bool], why: str) -> AfterValidator:
    def check(value: str) -> str:
        if not is_fine(value):
            raise problem(why.format(value=written(value)))
        return value

    return AfterValidator(check)


_an_email = _passes(validate_email)
_USERNAME = "{value} is not a username: use letters, digits and @.+-_"
_TIME_ZONE = 'unknown time zone {value}; use a name like "Europe/Amsterdam"'
_FIELD_TYPE = f"unknown type {{value}} (types: {', '.join(FieldType.values)})"

Duration = Annotated[int, BeforeValidator(parse_duration)]  # minutes
Slug = Annotated[
    str, _check(_passes(validate_slug), "{value} is not a slug: use letters, digits, - and _")
]
Username = Annotated[str, _check(_passes(UnicodeUsernameValidator()), _USERNAME)]
EmailOrNothing = Annotated[
    str, _check(lambda value: not value or _an_email(value), "{value} is not an email address")
]
Email = Annotated[str, _check(_an_email, "{value} is not an email address")]
# A language tag as people write it: "en", "nl", "en-GB", "pt-BR" (language, then country),
# of a locale Django has date formats for (the staff pages write dates its way).
LocaleName = Annotated[
    str,
    _check(
        lambda value: (
            re.fullmatch(r"[a-z]{2,3}(-[A-Z]{2})?", value) is not None and has_formats(value)
        ),
        '{value} is not a locale we can write dates for; write a language tag like "en-GB", '
        '"en-US", "de", "fr" or "nl"',
    ),
]
Name = Annotated[str, _check(lambda value: bool(value.strip()), "must not be empty")]
TimeZoneName = Annotated[str, _check(_passes(ZoneInfo), _TIME_ZONE)]
FieldKind = Annotated[str, _check(FieldType.values.__contains__, _FIELD_TYPE)]
# A phrase's principle as people write it ("take the blame"); the value is the stored one.
PrincipleName = Annotated[
    str,
    _check(
        lambda value: principle_named(value) is not None,
        f"unknown principle {{value}} (principles: {principle_words()})",
    ),
    AfterValidator(lambda value: principle_named(value) or value),
]


def parse_money(value: object) -> Decimal:
    """An amount of money as the file writes it (25, 12.50): not negative, at most two
    decimals; a refusal in plain words otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise problem(f"write an amount as a number such as 25 or 12.50, not {written(value)}")
    amount = Decimal(str(value))
    exponent = amount.as_tuple().exponent
    if not amount.is_finite() or not isinstance(exponent, int) or exponent < -2:
        raise problem(f"{written(value)} is not an amount with at most two decimals")
    if amount < 0 or amount >= Decimal("1e10"):
        raise problem(f"{written(value)} is not an amount from 0 to 9999999999.99")
    return amount.quantize(Decimal("0.01"))


Money = Annotated[Decimal, BeforeValidator(parse_money)]
# An ISO 4217 currency code: three capital letters ("EUR", "GBP", "USD").
Currency = Annotated[
    str,
    _check(
        lambda value: re.fullmatch(r"[A-Z]{3}", value) is not None,
        '{value} is not a currency code; write three capital letters like "EUR" or "GBP"',
    ),
]
