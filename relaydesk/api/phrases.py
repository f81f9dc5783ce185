"""The phrase library: `GET /api/v1/phrases?q=`: the company-wide phrases and the caller's own
personal ones (never another person's), the most used first."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from relaydesk.api.auth import acting_user
from relaydesk.api.schemas import ErrorOut, Input
from relaydesk.replies.models import Phrase, Principle
from relaydesk.replies.phrases import search

router = Router(tags=["phrases"])

LIST_LIMIT = 50


class PhraseQuery(Input):
    q: Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)] = Field(
        "", description="Words that must all appear in the title, text, tags or principle."
    )
    principle: Principle | None = Field(None, description="Only phrases for this moment.")


class PhraseOut(Schema):
    id: int
    title: str
    text: str
    principle: Principle
    principle_label: str
    tags: list[str]
    personal: bool = Field(description="The caller's own phrase; false: the company's.")
    uses: int = Field(description="How many sent replies carried it.")


def phrase_out(phrase: Phrase) -> dict:
    return {
        "id": phrase.pk,
        "title": phrase.title,
        "text": phrase.text,
        "principle": phrase.principle,
        "principle_label": phrase.get_principle_display(),
        "tags": phrase.tag_list,
        "personal": phrase.is_personal,
        "uses": phrase.use_count,  # type: ignore[attr-defined]  # annotated by search
    }


@router.get(
    "",
    response={200: list[PhraseOut], 401: ErrorOut, 422: ErrorOut},
    summary="Phrases for awkward moments, the most used first (at most 50)",
)
def list_phrases(request: HttpRequest, filters: Query[PhraseQuery]):
    found = search(
        acting_user(request), filters.q, principle=filters.principle or "", limit=LIST_LIMIT
    )
    return [phrase_out(phrase) for phrase in found]
