"""`POST /api/v1/tone-check {text}`: the tone check's warnings for words not yet sent (rule 10).

The same check runs on `POST /cases/{ref}/replies`, which refuses a warned reply with 409 and
these warnings unless `send_anyway` is given. Suggestions prefer the phrase library's phrase
(the caller's own first) for the rule's principle.
"""

from django.http import HttpRequest
from ninja import Field, Router, Schema

from relaydesk.api.auth import acting_user
from relaydesk.api.schemas import ErrorOut, Input, Text
from relaydesk.replies.tone import ToneWarning, check
from relaydesk.replies.tone_phrases import library_suggestions

router = Router(tags=["tone"])


class ToneCheckIn(Input):
    text: Text


class ToneWarningOut(Schema):
    start: int = Field(description="Where the words start: characters of the text as sent.")
    end: int = Field(description="Where they end (exclusive); text[start:end] are the words.")
    rule: str = Field(description="The rule in tone_rules.toml, e.g. blame.should_have.")
    why: str = Field(description="Why these words may hurt, in one sentence.")
    suggestion: str = Field(description="A better phrase to write instead.")


class ToneCheckOut(Schema):
    warnings: list[ToneWarningOut]


class ToneRefusedOut(ErrorOut):
    """A refusal; when the tone check warned about a reply and `send_anyway` was not given,
    `warnings` lists what it found."""

    warnings: list[ToneWarningOut] = Field(default_factory=list)


def warnings_for(request: HttpRequest, text: str) -> list[ToneWarning]:
    """The warnings for `text`, with the caller's library phrases as suggestions."""
    return check(text, suggest=library_suggestions(acting_user(request)))


@router.post(
    "", response={200: ToneCheckOut, 401: ErrorOut, 422: ErrorOut}, summary="Check a reply's tone"
)
def tone_check(request: HttpRequest, payload: ToneCheckIn):
    return {"warnings": [w.as_dict() for w in warnings_for(request, payload.text)]}
