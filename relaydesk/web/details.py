"""A category's intake fields as form rows, for intake and for completing a case later."""

from dataclasses import dataclass

from django.conf import settings

from relaydesk.cases.details import uploaded_file
from relaydesk.cases.uploads import limit_words, posted_files
from relaydesk.org.dates import date_example, read_date
from relaydesk.org.models import FieldType, IntakeField
from relaydesk.web.middleware import display_language

__all__ = ["DetailRow", "detail_rows", "posted_details", "posted_files", "NUL_MESSAGE"]

PREFIX = "detail_"
REMOVE_SUFFIX = "__remove"
NUL_MESSAGE = "Remove the invisible control character (NUL) from this text."


@dataclass
class DetailRow:
    field: IntakeField
    value: object
    error: str = ""
    note: str = ""  # e.g. "choose the file again" after a form came back with errors

    @property
    def name(self) -> str:
        return f"{PREFIX}{self.field.key}"

    @property
    def input_id(self) -> str:
        return f"id_{PREFIX}{self.field.key}"

    @property
    def missing(self) -> bool:
        return self.field.required and self.value in (None, "")

    @property
    def input_type(self) -> str:
        types: dict[str, str] = {
            FieldType.DATE: "date",
            FieldType.EMAIL: "email",
            FieldType.PHONE: "tel",
            FieldType.FILE: "file",
        }
        return types.get(self.field.type, "text")

    @property
    def file(self) -> dict | None:
        """The uploaded file this field records ({"attachment": id, "name": …}), if any."""
        return uploaded_file(self.value)

    @property
    def remove_name(self) -> str:
        return f"{self.name}{REMOVE_SUFFIX}"

    @property
    def upload_limit(self) -> str:
        return limit_words(settings.MAIL_MAX_ATTACHMENT_BYTES)


def detail_rows(
    fields: list[IntakeField],
    values: dict,
    errors: dict | None = None,
    notes: dict | None = None,
):
    errors, notes = errors or {}, notes or {}
    return [
        DetailRow(field, values.get(field.key), _error(field, errors), notes.get(field.key, ""))
        for field in fields
    ]


def _error(field: IntakeField, errors: dict) -> str:
    """The field's error; a date the action could not read is asked for the locale's way
    (cases, and the API, keep and speak ISO 8601)."""
    error = errors.get(field.key, "")
    if error and field.type == FieldType.DATE:
        return f"Write the date like {date_example(display_language())}."
    return error


def _posted_text(field: IntakeField, text: str) -> str:
    """A date typed the company's way becomes the ISO date cases keep; anything else, and a
    date that cannot be read (the action then refuses it), as typed."""
    if field.type == FieldType.DATE and text:
        found = read_date(text, display_language())
        return found.isoformat() if found else text
    return text


def posted_details(fields: list[IntakeField], data) -> dict[str, str]:
    """Every text field of the category from the POST, blank ones included (blank clears a
    value). File fields come from `posted_files`: a form posted without a new file keeps the
    file the case has, unless its "remove" box is ticked (the file itself stays on the case)."""
    details = {}
    for field in fields:
        if field.type != FieldType.FILE:
            details[field.key] = _posted_text(field, data.get(f"{PREFIX}{field.key}", "").strip())
        elif data.get(f"{PREFIX}{field.key}{REMOVE_SUFFIX}"):
            details[field.key] = ""
    return details
