"""Which phrases help, and who uses them: read from the uses counted when replies were sent.

A phrase "helps" when the cases whose replies carried it end well afterwards. For each phrase:
the cases it went to, and of those how many were later (a survey answered or a reopening at or
after the reply) rated 4–5, rated 1–2, or reopened. A case counts once per column however many
replies carried the phrase, and may count in more than one (rated 5, reopened later, rated 2).
It is a pointer for a lead, not proof: a phrase goes into hard cases as well as easy ones.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from relaydesk.cases.models import Event, EventKind, SurveyAnswer
from relaydesk.replies.models import PhraseUse

WELL = 4  # a rating of 4 or 5: the customer was pleased
BADLY = 2  # a rating of 1 or 2: unhappy (2 or less reopens the case, rule 12)


@dataclass(frozen=True)
class Outcome:
    """What followed the sent replies that carried one phrase."""

    cases: int = 0
    rated_well: int = 0
    rated_badly: int = 0
    reopened: int = 0


@dataclass(frozen=True)
class User:
    """One person's uses of one phrase."""

    username: str
    name: str
    uses: int


def outcomes(phrase_ids: Iterable[int]) -> dict[int, Outcome]:
    """Each phrase's Outcome (phrases never used are left out): one query, whatever the
    number of phrases and uses. The surveys and reopenings are read per use through the
    indexes on (case, opening) and (case, at)."""
    ids = sorted(set(phrase_ids))
    if not ids:
        return {}
    surveys = SurveyAnswer.objects.filter(
        case=OuterRef("case"), answered_at__gte=OuterRef("used_at")
    )
    reopenings = Event.objects.filter(
        case=OuterRef("case"), kind=EventKind.REOPENED, at__gte=OuterRef("used_at")
    )
    rows = (
        PhraseUse.objects.filter(phrase_id__in=ids, case__isnull=False)
        .values("phrase_id")
        .annotate(
            cases=Count("case", distinct=True),
            rated_well=_cases_where(Exists(surveys.filter(rating__gte=WELL))),
            rated_badly=_cases_where(Exists(surveys.filter(rating__lte=BADLY))),
            reopened=_cases_where(Exists(reopenings)),
        )
        .order_by()
    )
    return {row.pop("phrase_id"): Outcome(**row) for row in rows}


def _cases_where(condition: Exists) -> Count:
    return Count("case", distinct=True, filter=Q(condition))


def users_of(phrase_ids: Iterable[int]) -> dict[int, list[User]]:
    """Who used each phrase in a sent reply, and how often, the most first: one query."""
    ids = sorted(set(phrase_ids))
    if not ids:
        return {}
    rows = (
        PhraseUse.objects.filter(phrase_id__in=ids)
        .values("phrase_id", "used_by__username", "used_by__first_name", "used_by__last_name")
        .annotate(uses=Count("id"))
        .order_by("phrase_id", "-uses", "used_by__username")
    )
    found: dict[int, list[User]] = defaultdict(list)
    for row in rows:
        username = row["used_by__username"]
        name = f"{row['used_by__first_name']} {row['used_by__last_name']}".strip()
        found[row["phrase_id"]].append(User(username, name or username, row["uses"]))
    return dict(found)
