"""The phrase library: `GET /api/v1/phrases?q=`: the company-wide phrases and the caller's own
personal ones (never another person's), the most used first, each with what followed its uses
(relaydesk.replies.phrases_usage) and, for leads, who used it."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from relaydesk.api.auth import acting_user
from relaydesk.api.schemas import ErrorOut, Input
from relaydesk.org.permissions import is_lead
from relaydesk.replies.models import Phrase, Principle
from relaydesk.replies.phrases import search
from relaydesk.replies.phrases_usage import Outcome, User, outcomes, users_of

router = Router(tags=["phrases"])

LIST_LIMIT = 50


class PhraseQuery(Input):
    q: Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)] = Field(
        "", description="Words that must all appear in the title, text, tags or principle."
    )
    principle: Principle | None = Field(None, description="Only phrases for this moment.")


class OutcomeOut(Schema):
    cases: int = Field(description="Cases whose sent replies carried the phrase.")
    rated_well: int = Field(description="Of those, rated 4–5 in a survey answered after it.")
    rated_badly: int = Field(description="Of those, rated 1–2 in a survey answered after it.")
    reopened: int = Field(description="Of those, reopened after it.")


class PhraseUserOut(Schema):
    username: str
    name: str
    uses: int = Field(description="Sent replies of theirs that carried the phrase.")


class PhraseOut(Schema):
    id: int
    title: str
    text: str
    principle: Principle
    principle_label: str
    tags: list[str]
    personal: bool = Field(description="The caller's own phrase; false: the company's.")
    uses: int = Field(description="How many sent replies carried it.")
    outcome: OutcomeOut = Field(description="What followed the replies that carried it.")
    used_by: list[PhraseUserOut] | None = Field(
        description="Who used it, the most first; for leads, executives and admins (else null)."
    )


def phrase_out(
    phrase: Phrase, outcome: Outcome | None = None, users: list[User] | None = None
) -> dict:
    return {
        "id": phrase.pk,
        "title": phrase.title,
        "text": phrase.text,
        "principle": phrase.principle,
        "principle_label": phrase.get_principle_display(),
        "tags": phrase.tag_list,
        "personal": phrase.is_personal,
        "uses": phrase.use_count,  # type: ignore[attr-defined]  # annotated by search
        "outcome": outcome or Outcome(),
        "used_by": users,
    }


@router.get(
    "",
    response={200: list[PhraseOut], 401: ErrorOut, 422: ErrorOut},
    summary="Phrases for awkward moments, the most used first (at most 50)",
)
def list_phrases(request: HttpRequest, filters: Query[PhraseQuery]):
    user = acting_user(request)
    found = search(user, filters.q, principle=filters.principle or "", limit=LIST_LIMIT)
    used = [phrase.pk for phrase in found if phrase.use_count]  # type: ignore[attr-defined]
    followed = outcomes(used)
    users = users_of(used) if is_lead(user) else None
    return [
        phrase_out(
            phrase,
            followed.get(phrase.pk),
            None if users is None else users.get(phrase.pk, []),
        )
        for phrase in found
    ]
