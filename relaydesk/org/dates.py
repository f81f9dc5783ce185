"""Dates as the company writes them: Django's own formats for the company file's `locale`.

One format for a date and one for a moment (a date with its time), the locale's short ones
(`SHORT_DATE_FORMAT`, `SHORT_DATETIME_FORMAT`): en-GB writes 31/12/2026 and 31/12/2026
14:05 (on the 24-hour clock: relaydesk/org/formats), en-US 12/31/2026 and 12/31/2026 2:05 p.m.,
de 31.12.2026 14:05, fr 31/12/2026 14:05, nl 31-12-2026 14:05. The short date is the one a
person also types into a date field (`read_date` takes it, the locale's other input formats and
ISO 8601), so what a page shows and what its forms ask for look the same.

Only the formats follow the locale, not the language: the staff pages are written in English,
and activating German would turn Django's own messages (form errors) German beside them. So
formats are looked up for the locale's language code (`lang=`) instead of activating it.
"""

import datetime
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils import dateformat, formats


def has_formats(locale: str) -> bool:
    """Whether Django knows how this locale writes dates ("en-GB", "nl", "pt-BR": yes)."""
    code = locale.strip().lower().replace("_", "-")
    return bool(code) and bool(formats.get_format_modules(code))


@lru_cache(maxsize=64)
def format_language(locale: str | None) -> str:
    """Django's language code for a company-file locale ("en-GB" → "en-gb", "nl-BE" → "nl-be",
    whose formats are Dutch's); a locale Django has no formats for, or none, is written as
    settings.LANGUAGE_CODE (en-GB)."""
    if locale and has_formats(locale):
        return locale.strip().lower().replace("_", "-")
    return settings.LANGUAGE_CODE


def date_format(language: str) -> str:
    return formats.get_format("SHORT_DATE_FORMAT", lang=language)


def moment_format(language: str) -> str:
    return formats.get_format("SHORT_DATETIME_FORMAT", lang=language)


def write_date(value: datetime.date, language: str) -> str:
    """A date (or a moment's date, as it is already in the zone it should be read in)."""
    return _write(value, date_format(language))


def write_moment(value: datetime.datetime, language: str) -> str:
    """A moment, already in the zone it should be read in."""
    return _write(value, moment_format(language))


# Django's dateformat.format() parses the format on every call and builds a DateFormat, three
# times the cost of the rest of a timeline line's date. So a format is parsed once, and its
# numbers (all a short format holds, but en-GB's "p.m.") are written here exactly as Django
# writes them; any other letter is still Django's (DateFormat: translated words, time zones).
_NUMBERS: dict[str, Callable[[Any], str]] = {
    "d": lambda value: f"{value.day:02d}",
    "j": lambda value: str(value.day),
    "m": lambda value: f"{value.month:02d}",
    "n": lambda value: str(value.month),
    "Y": lambda value: f"{value.year:04d}",
    "y": lambda value: f"{value.year % 100:02d}",
    "H": lambda value: f"{value.hour:02d}",
    "G": lambda value: str(value.hour),
    "i": lambda value: f"{value.minute:02d}",
    "s": lambda value: f"{value.second:02d}",
}


@lru_cache(maxsize=64)
def _parsed(pattern: str) -> tuple[tuple[bool, str], ...]:
    """A Django date format as (is a letter, text) pieces, split as dateformat splits it."""
    pieces = []
    for index, piece in enumerate(dateformat.re_formatchars.split(pattern)):
        if index % 2:
            pieces.append((True, piece))
        elif piece:
            pieces.append((False, dateformat.re_escaped.sub(r"\1", piece)))
    return tuple(pieces)


def _write(value: datetime.date, pattern: str) -> str:
    """What dateformat.format(value, pattern) writes (tests compare them, locale by locale)."""
    django: dateformat.DateFormat | None = None
    out = []
    for letter, text in _parsed(pattern):
        if not letter:
            out.append(text)
        elif text in _NUMBERS:
            out.append(_NUMBERS[text](value))
        else:
            django = django or dateformat.DateFormat(value)
            out.append(str(getattr(django, text)()))
    return "".join(out)


# The letters of Django's short date formats, as strptime reads them (%d and %m take "5" too).
_READ = {"d": "%d", "j": "%d", "m": "%m", "n": "%m", "Y": "%Y", "y": "%y"}


def _shown_as_read(language: str) -> str:
    """The short date format as a strptime pattern, so a date is typed as it is shown even
    where the locale's input formats leave it out (ja shows 2026/12/31)."""
    return "".join(_READ.get(letter, letter.replace("%", "%%")) for letter in date_format(language))


def read_date(text: str, language: str) -> datetime.date | None:
    """A date typed as the locale shows it, in one of its other input formats or as ISO 8601
    (2026-12-31); else None."""
    text = text.strip()
    patterns = formats.get_format("DATE_INPUT_FORMATS", lang=language)
    for pattern in (_shown_as_read(language), *patterns, "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 a date only
        except ValueError:
            continue
    return None


def date_example(language: str) -> str:
    """How a date is typed in this locale, shown beside date fields: "31/12/2026"."""
    return write_date(datetime.date(2026, 12, 31), language)
