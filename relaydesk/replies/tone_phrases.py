"""The tone check's suggestions from the phrase library: a phrase in the company's own words
(the person's own first) for the rule's principle, else the rule's own suggestion."""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from relaydesk.replies.phrases import phrase_for_principle
from relaydesk.replies.tone import suggestion_for
from relaydesk.replies.tone_rules import Rule


def library_suggestions(
    person: AbstractBaseUser | AnonymousUser | None,
) -> Callable[[Rule], str]:
    """A `suggest` for tone.check: one query per principle that a warning needs, at most."""
    found: dict[str, str | None] = {}

    def suggest(rule: Rule) -> str:
        if not rule.principle:
            return suggestion_for(rule)
        if rule.principle not in found:
            phrase = phrase_for_principle(rule.principle, person=person)
            found[rule.principle] = phrase.text if phrase else None
        return found[rule.principle] or suggestion_for(rule)

    return suggest
