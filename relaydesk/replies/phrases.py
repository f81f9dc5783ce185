"""Finding phrases: which a person sees, search as they type, the best one for a principle.

A person sees the company-wide phrases and their own personal ones, never another person's:
every list, the reply box, the API and the tone check's suggestion go through `visible_to`.
"""

import re

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Q, QuerySet

from relaydesk.replies.models import Phrase, Principle

SEARCH_LIMIT = 20
MAX_WORDS = 6  # a search is a few words; more would only make the query longer
MAX_QUERY = 200


def visible_to(user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[Phrase]:
    """The company-wide phrases and `user`'s personal ones."""
    company_wide = Q(owner__isnull=True)
    if user is None or not user.is_authenticated:
        return Phrase.objects.filter(company_wide)
    return Phrase.objects.filter(company_wide | Q(owner_id=user.pk))


def with_use_counts(phrases: QuerySet[Phrase]) -> QuerySet[Phrase]:
    """Each phrase with `use_count`: how many sent replies carried it."""
    return phrases.annotate(use_count=Count("uses"))


def words_of(query: str) -> list[str]:
    """The words to look for. NUL is dropped: PostgreSQL refuses it even in a WHERE clause."""
    return query[:MAX_QUERY].replace("\x00", "").split()[:MAX_WORDS]


def _matches(word: str) -> Q:
    principles = [value for value, label in Principle.choices if word.lower() in label.lower()]
    found = Q(title__icontains=word) | Q(text__icontains=word) | Q(tags__icontains=word)
    return found | Q(principle__in=principles) if principles else found


def search(
    user: AbstractBaseUser | AnonymousUser | None,
    query: str = "",
    *,
    principle: str = "",
    limit: int = SEARCH_LIMIT,
) -> list[Phrase]:
    """The phrases `user` sees that hold every word of `query` (in the title, text, tags or
    principle), the most used first: one query."""
    phrases = visible_to(user)
    for word in words_of(query):
        phrases = phrases.filter(_matches(word))
    if principle:
        phrases = phrases.filter(principle=principle)
    return list(with_use_counts(phrases).order_by("-use_count", "title", "id")[:limit])


def phrase_for_principle(
    principle: str, *, person: AbstractBaseUser | AnonymousUser | None = None
) -> Phrase | None:
    """The phrase to suggest for `principle` (a Principle value): the person's own first (it
    is in their voice), then the company's most used. None when the library has none."""
    phrases = with_use_counts(visible_to(person).filter(principle=principle))
    own_first = F("owner_id").desc(nulls_last=True)  # NULLs sort differently per engine
    return phrases.order_by(own_first, "-use_count", "id").first()


def tag_text(tags: list[str] | str) -> str:
    """Tags as stored: lower case, without repeats, separated by ", "."""
    words = re.split(r"[,\n]", tags) if isinstance(tags, str) else tags
    cleaned = (" ".join(word.split()).lower() for word in words)
    return ", ".join(dict.fromkeys(word for word in cleaned if word))


def principle_named(words: str) -> str | None:
    """The Principle value for "take the blame", "Take-the-blame" or "take_the_blame"."""
    value = re.sub(r"[\s\-_]+", "_", words.strip().lower())
    return value if value in Principle.values else None


def principle_words() -> str:
    """The principles as a company file writes them: "take the blame, blow out the dust, …"."""
    return ", ".join(label.lower() for label in Principle.labels)
