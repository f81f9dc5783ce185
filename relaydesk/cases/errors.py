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
