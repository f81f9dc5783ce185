"""The tone check live in the reply box (rule 10): as the person types, htmx posts the reply
here (debounced) and shows what comes back under it: the reply with the words that may hurt
marked, each with its why and a better phrase that one click puts in their place.

Nothing is sent or saved here. Without script this is never asked, and the reply view's own
check still refuses a warned reply (relaydesk.web.views.case.reply).
"""

from dataclasses import dataclass

from django.db.models import F
from django.shortcuts import render
from django.views.decorators.http import require_POST

from relaydesk.cases.actions import MAX_NOTE
from relaydesk.replies.phrases import visible_to
from relaydesk.replies.tone import ToneWarning, check
from relaydesk.replies.tone_phrases import library_suggestions
from relaydesk.web.access import staff_required


@dataclass(frozen=True)
class Piece:
    """A stretch of the reply as typed; `warning` when it is words the check marked."""

    text: str
    warning: ToneWarning | None = None


def as_typed(text: str) -> str:
    """The reply as the browser's textarea holds it: a form sends its line breaks as CRLF,
    but the page counts them as one character each, so the offsets must too."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def marked(text: str, warnings: list[ToneWarning]) -> list[Piece]:
    """`text` cut into pieces at the warnings (in reading order, never overlapping)."""
    pieces: list[Piece] = []
    at = 0
    for warning in warnings:
        pieces.append(Piece(text[at : warning.start]))
        pieces.append(Piece(text[warning.start : warning.end], warning))
        at = warning.end
    pieces.append(Piece(text[at:]))
    return [piece for piece in pieces if piece.text]


def _phrase_ids(user, suggestions: set[str]) -> dict[str, int]:
    """The library phrase behind each suggestion, so that putting it in counts as its use
    once the reply is sent (as the phrase picker's do); one query."""
    if not suggestions:
        return {}
    found = visible_to(user).filter(text__in=sorted(suggestions)).values_list("text", "pk")
    own_last = F("owner_id").asc(nulls_first=True)  # the last of a text wins: the person's own
    return dict(found.order_by(own_last, "-pk"))


@staff_required
@require_POST
def tone_check(request):
    """The reply box's words (`reply-body`) checked: the marks, or nothing when all is well."""
    text = as_typed(request.POST.get("reply-body", ""))[:MAX_NOTE]
    warnings = check(text, suggest=library_suggestions(request.user))
    phrases = _phrase_ids(request.user, {warning.suggestion for warning in warnings})
    found = [
        {
            **warning.as_dict(),
            "words": text[warning.start : warning.end],
            "phrase_id": phrases.get(warning.suggestion),
        }
        for warning in warnings
    ]
    context = {"warnings": found, "pieces": marked(text, warnings)}
    return render(request, "web/_tone_live.html", context)
