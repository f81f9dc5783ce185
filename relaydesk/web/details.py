"""A category's intake fields as form rows, for intake and for completing a case later."""

from dataclasses import dataclass

from relaydesk.intake.models import FieldType, IntakeField

PREFIX = "detail_"
NUL_MESSAGE = "Remove the invisible control character (NUL) from this text."


@dataclass
class DetailRow:
    field: IntakeField
    value: object
    error: str = ""

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
        return {
            FieldType.DATE: "date",
            FieldType.EMAIL: "email",
            FieldType.PHONE: "tel",
        }.get(self.field.type, "text")


def detail_rows(fields: list[IntakeField], values: dict, errors: dict | None = None):
    errors = errors or {}
    return [DetailRow(field, values.get(field.key), errors.get(field.key, "")) for field in fields]


def posted_details(fields: list[IntakeField], data) -> dict[str, str]:
    """Every field of the category from the POST, blank ones included (blank clears a value)."""
    return {field.key: data.get(f"{PREFIX}{field.key}", "").strip() for field in fields}
