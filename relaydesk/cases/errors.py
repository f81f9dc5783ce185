"""The one kind of refusal an action gives: a sentence a support person understands."""


class DomainError(Exception):
    """A broken rule. `http_status` tells the API how to answer (409 conflict by default)."""

    http_status = 409

    def __init__(self, message: str, *, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class Incomplete(DomainError):
    """Input that is missing or malformed (422): a reason, a resolution, a required field."""

    http_status = 422


class ToneWarned(DomainError):
    """Rule 10: the tone check warned about a reply and the writer did not choose "send anyway".

    `warnings` are the check's findings as the caller passed them (start, end, rule, why,
    suggestion), so a face can show them beside the sentence (the API's 409 lists them)."""

    def __init__(self, message: str, *, warnings: list[dict]):
        super().__init__(message)
        self.warnings = warnings
