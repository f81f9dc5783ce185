"""Request and response bodies. Every input field has bounds; unknown input keys are refused."""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints, field_validator, model_validator

from relaydesk.cases.actions import MAX_NOTE
from relaydesk.cases.models import Channel, PassReason, Status

Slug = Annotated[str, StringConstraints(min_length=1, max_length=50, strip_whitespace=True)]
Username = Annotated[str, StringConstraints(min_length=1, max_length=150, strip_whitespace=True)]
Text = Annotated[str, StringConstraints(max_length=MAX_NOTE)]
# A detail value as the intake form would send it; intake.details checks it against its field.
DetailValue = Annotated[str, StringConstraints(max_length=10_000)] | int | float | bool | None


def _without_nul(value: Any) -> Any:
    """PostgreSQL cannot store NUL in text or jsonb: refuse it here rather than fail there."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("Text may not contain NUL (\\u0000) characters.")
    if isinstance(value, dict):
        for key, item in value.items():
            _without_nul(key)
            _without_nul(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _without_nul(item)
    return value


class Input(Schema):
    """Every request body and query: unknown keys, NaN/Infinity and NUL characters are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def no_nul_characters(cls, data: Any) -> Any:
        return _without_nul(data)


class ErrorOut(Schema):
    """Every refusal: `detail` is a sentence (or pydantic's list of field errors for 422)."""

    detail: str | list[dict[str, Any]]
    fields: dict[str, str] | None = Field(None, description="Which input fields are wrong.")


# Catalog --------------------------------------------------------------------------------------


class FieldOut(Schema):
    key: str
    label: str
    type: str
    required: bool
    choices: list[str]


class TriggerOut(Schema):
    key: str
    question: str


class CategoryOut(Schema):
    slug: str
    name: str
    fields: list[FieldOut]
    realtime_triggers: list[TriggerOut]
    solve_window_minutes: int
    tickle_after_minutes: int


class TierOut(Schema):
    slug: str
    name: str
    rank: int


# Cases ----------------------------------------------------------------------------------------


class CustomerIn(Input):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    email: Annotated[
        str,
        StringConstraints(min_length=3, max_length=320, strip_whitespace=True),
        Field(json_schema_extra={"format": "email"}),  # checked by Django's validator below
    ]
    phone: Annotated[str, StringConstraints(max_length=40, strip_whitespace=True)] = ""

    @field_validator("email")
    @classmethod
    def email_is_an_address(cls, value: str) -> str:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(value)
        except ValidationError:
            raise ValueError("Enter a valid email address.") from None
        return value


class CaseIn(Input):
    customer: CustomerIn
    category: Slug
    subject: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    details: dict[Slug, DetailValue] = Field(default_factory=dict, max_length=100)
    channel: Channel = Channel.API
    realtime_triggers: list[Slug] = Field(default_factory=list, max_length=50)


class OpenedOut(Schema):
    ref: str
    owner: str
    tier: str
    deadline: datetime
    realtime: bool
    status_url: str


class CaseSummary(Schema):
    ref: str
    subject: str
    status: str
    category: str
    customer: str
    owner: str | None
    owner_name: str | None
    tier: str
    channel: str
    realtime: bool
    opened_at: datetime
    deadline: datetime
    solved_at: datetime | None
    last_activity_at: datetime


class CasePage(Schema):
    items: list[CaseSummary]
    next_cursor: str | None


class CustomerOut(Schema):
    name: str
    email: str
    phone: str
    # Rule 15: False when email and phone are masked (f•••@example.org, +31 •• ••• 437).
    whole: bool = True


class EventOut(Schema):
    kind: str
    at: datetime
    actor: str
    actor_name: str
    from_owner: str | None
    to_owner: str | None
    from_tier: str | None
    to_tier: str | None
    reason: str
    body: str
    data: dict[str, Any]


class FileOut(Schema):
    id: int
    name: str


class MessageOut(Schema):
    at: datetime
    voice: Literal["customer", "reply", "note"]
    by: str = Field(description="The writer's username; 'customer' for the customer's words.")
    body: str
    verified: bool = Field(
        description="False for words that only claim to be the customer's (rule 11)."
    )
    waiting: bool = Field(description="A reply that asked the customer a question (rule 16).")
    files: list[FileOut]


class CaseDetail(CaseSummary):
    customer_detail: CustomerOut
    details: dict[str, Any]
    real_need: str
    opening: int
    escalated: bool
    solved_by: str | None
    resolution: str
    problem_id: int | None
    one_off_reason: str
    waiting_since: datetime | None = Field(
        description="Waiting for the customer's answer since then (rule 16); null when not."
    )
    events: list[EventOut]
    conversation: list[MessageOut] = Field(
        description="The customer's words, our replies and internal notes, oldest first."
    )


class CaseQuery(Input):
    owner: Username | None = Field(None, description="A username, or 'me'.")
    tier: Slug | None = None
    category: Slug | None = None
    status: Status | None = None
    q: Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)] | None = Field(
        None,
        description=(
            "A reference (exact), words in the subject or customer name, or words of the "
            "case's texts (the search index: details, the customer's messages, replies, "
            "resolution)."
        ),
    )
    cursor: Annotated[str, StringConstraints(max_length=100)] | None = None
    limit: int = Field(50, ge=1, le=100)


class PassIn(Input):
    to_user: Username | None = None
    to_tier: Slug | None = None
    reason: PassReason
    note: Text


class NoteIn(Input):
    body: Text


class ReplyIn(Input):
    body: Text
    send_anyway: bool = Field(False, description="Send despite the tone check's warnings.")
    waiting: bool = Field(
        False,
        description="The reply asks the customer something: the case waits for the answer, "
        "its deadline and reminders paused (rule 16; the owner of an open case only).",
    )
    phrases: list[Annotated[int, Field(ge=1, le=2**62)]] = Field(
        [],
        max_length=20,
        description="Ids of the library's phrases the reply used (GET /phrases): each is "
        "counted as used by the caller once the reply is sent; ids the caller cannot see are "
        "left out.",
    )


class ReplyOut(Schema):
    id: int
    at: datetime
    body: str
    send_anyway: bool
    waiting: bool
    message_id: str = Field(description="The Message-ID of the mail queued to the customer.")


class NewProblemIn(Input):
    title: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]


class SolveIn(Input):
    resolution: Text
    problem_id: int | None = Field(None, ge=1, le=2**62)
    new_problem: NewProblemIn | None = None
    one_off_reason: Text = ""


class ReopenIn(Input):
    why: Text


# Problems -------------------------------------------------------------------------------------


class ProblemIn(Input):
    title: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    description: Text = ""


class ProblemOut(Schema):
    id: int
    title: str
    description: str
    created_at: datetime
    created_by: str | None
    fixed_at: datetime | None


class ProblemQuery(Input):
    q: Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)] | None = None
    open_only: bool = Field(False, description="Only problems not yet fixed.")


class StatusLinkOut(Schema):
    status_url: str = Field(description="The case's new status link; only its hash is kept.")
