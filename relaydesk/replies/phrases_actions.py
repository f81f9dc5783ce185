"""The only code that changes the phrase library: add, change, delete, and count a use.

Who may change what: anyone on the staff adds, changes and deletes their own personal
phrases; the company-wide ones are changed by leads, executives and admins
(`org.permissions.is_lead`), the people who speak for the team. Nobody else sees a personal
phrase, so nobody else may change it either: to them it does not exist.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.org.permissions import is_lead
from relaydesk.replies.models import Phrase, PhraseUse, Principle
from relaydesk.replies.phrases import tag_text, visible_to
from relaydesk.timekeeping import now

MAX_USES_PER_REPLY = 20
ID_RE = re.compile(r"[0-9]{1,18}")  # a row id that fits a bigint; anything else is ignored


@dataclass(frozen=True)
class PhraseFields:
    title: str
    text: str
    principle: str
    tags: list[str] | str = ""


def may_change(user: User, phrase: Phrase) -> bool:
    if phrase.owner_id is not None:
        return phrase.owner_id == user.pk
    return is_lead(user)


def may_add_company_wide(user: User) -> bool:
    return is_lead(user)


def _checked(fields: PhraseFields) -> dict[str, str]:
    title, text = fields.title.strip(), fields.text.strip()
    problems = {}
    if not title:
        problems["title"] = "Give the phrase a title."
    if not text:
        problems["text"] = "Write the phrase."
    if fields.principle not in Principle.values:
        problems["principle"] = "Choose the moment the phrase is for."
    tags = tag_text(fields.tags)
    for key, value in (("title", title), ("text", text), ("tags", tags)):
        if "\x00" in value:  # PostgreSQL cannot store it; a company file could hold one
            problems[key] = "Remove the invisible control character (NUL)."
    if problems:
        raise Incomplete("The phrase is not complete yet.", fields=problems)
    return {
        "title": title,
        "text": text,
        "principle": fields.principle,
        "tags": tags,
    }


def _title_free(title: str, *, company_wide: bool, keep: Phrase | None = None) -> None:
    if not company_wide:
        return
    taken = Phrase.objects.filter(owner__isnull=True, title=title)
    if keep is not None:
        taken = taken.exclude(pk=keep.pk)
    if taken.exists():
        raise DomainError(
            f"The company already has a phrase called “{title}”; give this one another title.",
            fields={"title": "Another company-wide phrase has this title."},
        )


def add_phrase(*, acting: User, fields: PhraseFields, company_wide: bool = False) -> Phrase:
    """A new phrase: the acting person's own, or (for leads) the company's."""
    values = _checked(fields)
    if company_wide and not may_add_company_wide(acting):
        raise DomainError("Only leads, executives and admins add phrases for the whole company.")
    with transaction.atomic():
        _title_free(values["title"], company_wide=company_wide)
        moment = now()
        return Phrase.objects.create(
            owner=None if company_wide else acting,
            created_at=moment,
            updated_at=moment,
            **values,
        )


def change_phrase(phrase: Phrase, *, acting: User, fields: PhraseFields) -> Phrase:
    values = _checked(fields)
    if not may_change(acting, phrase):
        raise DomainError(_not_yours(phrase))
    with transaction.atomic():
        _title_free(values["title"], company_wide=phrase.owner_id is None, keep=phrase)
        _update(phrase, values)
    return phrase


def _update(phrase: Phrase, values: dict[str, str]) -> bool:
    """Save the values that differ, if any: True when something changed."""
    differ = [key for key, value in values.items() if getattr(phrase, key) != value]
    for key in differ:
        setattr(phrase, key, values[key])
    if differ:
        phrase.updated_at = now()
        phrase.save(update_fields=[*differ, "updated_at"])
    return bool(differ)


def delete_phrase(phrase: Phrase, *, acting: User) -> None:
    """The phrase goes; the uses it had stay counted (with its principle) for the trail."""
    if not may_change(acting, phrase):
        raise DomainError(_not_yours(phrase))
    with transaction.atomic():
        phrase.delete()


def _not_yours(phrase: Phrase) -> str:
    if phrase.owner_id is None:
        return "Only leads, executives and admins change the company's phrases."
    return "Only the person who wrote a personal phrase changes it."


def count_uses(*, acting: User, phrase_ids: Iterable[object], case=None) -> list[PhraseUse]:
    """Record that `acting` sent a reply (on `case`) carrying these phrases.

    Called once the reply is sent, not when a phrase is inserted: a phrase put in and taken
    out again, or a reply never sent, helped nobody. Ids the person cannot see, or that are
    not ids at all, are left out: the list comes from a form.
    """
    wanted = {int(pk) for pk in map(str, phrase_ids) if ID_RE.fullmatch(pk)}
    if not wanted:
        return []
    phrases = visible_to(acting).filter(pk__in=sorted(wanted)[:MAX_USES_PER_REPLY])
    with transaction.atomic():
        moment = now()
        return PhraseUse.objects.bulk_create(
            PhraseUse(
                phrase=phrase, principle=phrase.principle, used_by=acting, case=case, used_at=moment
            )
            for phrase in phrases
        )


def save_company_phrases(entries: Iterable[PhraseFields]) -> tuple[int, int]:
    """The company's own writing of its library (the company file, the defaults): each entry
    creates or updates the company-wide phrase with its title. Phrases not listed stay.
    Returns how many were created and how many changed."""
    created = changed = 0
    with transaction.atomic():
        moment = now()
        existing = {phrase.title: phrase for phrase in Phrase.objects.filter(owner__isnull=True)}
        for entry in entries:
            values = _checked(entry)
            phrase = existing.get(values["title"])
            if phrase is None:
                phrase = Phrase.objects.create(created_at=moment, updated_at=moment, **values)
                existing[phrase.title] = phrase
                created += 1
            elif _update(phrase, values):
                changed += 1
    return created, changed
