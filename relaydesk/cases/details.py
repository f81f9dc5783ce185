"""Checks a case's details against its category's intake fields."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from relaydesk.cases.errors import Incomplete
from relaydesk.org.models import Category, FieldType, IntakeField

PHONE_RE = re.compile(r"^\+?[0-9 ()./-]{5,30}$")
MAX_TEXT = 10_000


@dataclass(frozen=True)
class StoredFile:
    """A file this server stored for a file field (relaydesk.cases.uploads makes these).

    Only server code can hand one to clean_details: JSON input gives str, int, dict…, never
    this class, so an API request cannot claim an attachment (a dict there is refused).
    """

    attachment_id: int
    name: str

    def as_detail(self) -> dict:
        return {"attachment": self.attachment_id, "name": self.name}


def uploaded_file(value) -> dict | None:
    """The {"attachment": id, "name": …} record of an uploaded file, or None for other values."""
    if (
        isinstance(value, dict)
        and isinstance(value.get("attachment"), int)
        and isinstance(value.get("name"), str)
    ):
        return value
    return None


def clean_value(field: IntakeField, value):
    """The stored form of one value, or a ValueError with a sentence for the person typing."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, StoredFile):
        if field.type != FieldType.FILE:
            raise ValueError("Only a file field takes a file.")
        return value.as_detail()
    if field.type == FieldType.FILE and isinstance(value, dict | list | tuple):
        # Uploads arrive as StoredFile from the web forms; anything else names a file in text.
        raise ValueError("Upload the file on the web form, or give a link or its name as text.")
    clean = _CLEANERS.get(field.type)
    if clean is None:
        raise ValueError(f"Unknown field type {field.type}.")
    return clean(field, value)


def _text(field: IntakeField, value) -> str:
    text = str(value).strip()
    limit = 300 if field.type == FieldType.SHORT_TEXT else MAX_TEXT
    if len(text) > limit:
        raise ValueError(f"Keep it under {limit} characters.")
    return text


def _number(field: IntakeField, value) -> int | float:
    if isinstance(value, bool):
        raise ValueError("Enter a number.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("Enter a number.") from None
    if not number.is_finite():
        raise ValueError("Enter a number.")
    return int(number) if number == number.to_integral_value() else float(number)


def _date(field: IntakeField, value) -> str:
    try:
        return datetime.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValueError("Enter a date as YYYY-MM-DD.") from None


def _choice(field: IntakeField, value) -> str:
    text = str(value).strip()
    if text not in field.choices:
        raise ValueError(f"Choose one of: {', '.join(field.choices)}.")
    return text


def _email(field: IntakeField, value) -> str:
    text = str(value).strip()
    try:
        validate_email(text)
    except ValidationError:
        raise ValueError("Enter a valid email address.") from None
    return text


def _phone(field: IntakeField, value) -> str:
    text = str(value).strip()
    if not PHONE_RE.match(text):
        raise ValueError("Enter a phone number (digits, spaces, + and -).")
    return text


# A file field given as text (a link, a name) is kept as text.
_CLEANERS: dict[str, Callable[[IntakeField, Any], object]] = {
    FieldType.SHORT_TEXT: _text,
    FieldType.LONG_TEXT: _text,
    FieldType.FILE: _text,
    FieldType.NUMBER: _number,
    FieldType.DATE: _date,
    FieldType.CHOICE: _choice,
    FieldType.EMAIL: _email,
    FieldType.PHONE: _phone,
}


def clean_details(category: Category, details: dict) -> dict:
    """Validated details for `category`. Required fields may still be missing (rule 2)."""
    fields = {field.key: field for field in category.fields.all()}
    errors: dict[str, str] = {}
    unknown = sorted(set(details) - set(fields))
    for key in unknown:
        errors[key] = f"{category.name} has no field {key!r}."
    cleaned = {}
    for key, field in fields.items():
        if key not in details:
            continue
        try:
            value = clean_value(field, details[key])
        except ValueError as error:
            errors[key] = str(error)
            continue
        if value is not None:
            cleaned[key] = value
    if errors:
        summary = "; ".join(f"{key}: {message}" for key, message in errors.items())
        raise Incomplete(f"Some details are not right: {summary}", fields=errors)
    return cleaned


def missing_required(category: Category, details: dict) -> list[IntakeField]:
    return [
        field
        for field in category.fields.all()
        if field.required and details.get(field.key) in (None, "")
    ]
