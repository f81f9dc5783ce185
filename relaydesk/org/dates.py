"""Dates as the company writes them: Django's own formats for the company file's `locale`.

One format for a date and one for a moment (a date with its time), the locale's short ones
(`SHORT_DATE_FORMAT`, `SHORT_DATETIME_FORMAT`): en-GB writes 31/12/2026 and 31/12/2026
2:05 p.m., en-US 12/31/2026 and 12/31/2026 2:05 p.m., de 31.12.2026 14:05, fr 31/12/2026
14:05, nl 31-12-2026 14:05. The short date is the one a person also types into a date field
(`read_date` takes it, the locale's other input formats and ISO 8601), so what a page shows
and what its forms ask for look the same.

Only the formats follow the locale, not the language: the staff pages are written in English,
and activating German would turn Django's own messages (form errors) German beside them. So
formats are looked up for the locale's language code (`lang=`) instead of activating it.
"""

import datetime
from functools import lru_cache

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
    return dateformat.format(value, date_format(language))


def write_moment(value: datetime.datetime, language: str) -> str:
    """A moment, already in the zone it should be read in."""
    return dateformat.format(value, moment_format(language))


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
