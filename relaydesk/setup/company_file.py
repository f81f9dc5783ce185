"""The company file: one TOML file that creates or updates the company (`relaydesk init FILE`).

Each of the file's tables is a pydantic model that refuses the keys it does not name, so a new
key is one line in its model. The whole file is checked, against itself and against what the
database already holds, before anything is written; every problem is reported at once with its
line (toml_source), and only a file without problems reaches company_apply, which writes it in
one transaction.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from relaydesk.org import customer_words
from relaydesk.org.models import Category, FieldType, Staff, Tier
from relaydesk.setup.company_values import (
    Currency,
    Duration,
    Email,
    EmailOrNothing,
    FieldKind,
    LocaleName,
    Money,
    Name,
    PrincipleName,
    Slug,
    TimeZoneName,
    Username,
    problem,
)
from relaydesk.setup.toml_source import problems, written


class CompanyFileError(Exception):
    """Every problem found in a company file, each with its line number (0: the whole file)."""

    def __init__(self, path: str, found: list[tuple[int, str]]):
        self.path = path
        self.problems = sorted(found, key=lambda line_and_text: line_and_text[0])
        lines = [
            f"{path}, line {n}: {text}" if n else f"{path}: {text}" for n, text in self.problems
        ]
        noun = "problem" if len(lines) == 1 else "problems"
        super().__init__(
            f"{len(lines)} {noun} in {path}; nothing was changed.\n" + "\n".join(lines)
        )


# ---------------------------------------------------------------- what a file may refer to


def _tables(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
    value = data.get(section)
    return [table for table in value if isinstance(table, dict)] if isinstance(value, list) else []


def _written(data: dict[str, Any], section: str, key: str) -> list[str]:
    return [table[key] for table in _tables(data, section) if isinstance(table.get(key), str)]


@dataclass(frozen=True)
class Known:
    """The names a file may refer to: those the file gives and those the database holds.

    The file's names are taken as written, before they are checked, so that a mistake is
    reported once, at its own line, and not again at every line that refers to it.
    """

    tiers: list[str]  # bottom first: the last is the executive tier
    tiers_in_database: list[str]
    categories: set[str]
    people: dict[str, str]  # username: tier slug
    repeated: set[tuple[str, str]]  # (section, slug or username) that it gives more than once

    @classmethod
    def of(cls, data: dict[str, Any]) -> Known:
        in_database = list(Tier.objects.order_by("rank").values_list("slug", flat=True))
        people = dict(Staff.objects.values_list("user__username", "tier__slug"))
        for table in _tables(data, "staff"):
            if isinstance(table.get("username"), str):
                people[table["username"]] = str(table.get("tier", ""))
        names = {"tiers": "slug", "categories": "slug", "staff": "username", "phrases": "title"}
        return cls(
            tiers=_written(data, "tiers", "slug") if "tiers" in data else in_database,
            tiers_in_database=in_database,
            categories=set(Category.objects.values_list("slug", flat=True))
            | set(_written(data, "categories", "slug")),
            people=people,
            repeated={
                (section, name)
                for section, key in names.items()
                for name, times in Counter(_written(data, section, key)).items()
                if times > 1
            },
        )


def _known(info: ValidationInfo) -> Known:
    if not isinstance(info.context, Known):
        raise TypeError("validate a company file with context=Known.of(data)")
    return info.context


def _given_once(section: str) -> AfterValidator:
    def check(name: str, info: ValidationInfo) -> str:
        if (section, name) in _known(info).repeated:
            raise problem(f"another [[{section}]] has the {info.field_name} {written(name)} too")
        return name

    return AfterValidator(check)


# ---------------------------------------------------------------- the file's tables


class _Table(BaseModel):
    # strict: a value keeps its TOML type ("true" in quotes is not true, a date has no quotes)
    model_config = ConfigDict(extra="forbid", strict=True)


class CompanySection(_Table):
    name: Name
    time_zone: TimeZoneName = "UTC"
    reassurance_script: str | None = None
    reopen_within: Duration | None = None  # rule 8; none in the file: keep (new: 30 days)
    waiting_gives_up: Duration | None = None  # rule 16; none in the file: keep (new: 7 days)
    support_email: Email | None = None  # the From of our mail; none in the file: keep
    locale: LocaleName | None = None  # how staff pages write dates (relaydesk.org.dates)
    currency: Currency | None = None  # rule 13: goodwill's currency; none in the file: keep
    goodwill_budget: Money | None = None  # per month, in the currency; none: keep (new: none)


class TierEntry(_Table):
    slug: Annotated[Slug, _given_once("tiers")]
    name: Name
    goodwill_limit: Money | None = None  # rule 13; none in the file: keep (new: 0)

    @field_validator("goodwill_limit")
    @classmethod
    def _not_the_top_tier(cls, limit: Decimal | None, info: ValidationInfo) -> Decimal | None:
        tiers = _known(info).tiers
        if limit is not None and tiers and info.data.get("slug") == tiers[-1]:
            raise problem(
                f"the last tier ({written(tiers[-1])}) is the executive tier, which has no "
                "goodwill limit: leave goodwill_limit out"
            )
        return limit


class FieldEntry(_Table):
    key: Slug
    label: str = ""  # default: the key in words
    type: FieldKind = FieldType.SHORT_TEXT.value
    required: bool = False
    choices: list[str] = []
    help_text: str = ""

    @model_validator(mode="before")
    @classmethod
    def _label_from_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and "label" not in data and isinstance(data.get("key"), str):
            return {**data, "label": data["key"].replace("_", " ").capitalize()}
        return data

    @model_validator(mode="after")
    def _choices_fit_the_type(self) -> FieldEntry:
        if self.type == FieldType.CHOICE and not self.choices:
            raise problem(f'field "{self.key}" is a choice: list its choices')
        if self.type != FieldType.CHOICE and self.choices:
            raise problem(f'field "{self.key}" has choices, but its type is "{self.type}"')
        return self


class TriggerEntry(_Table):
    key: Slug
    question: Name
    customer_question: str = ""  # how /contact asks it; empty: the staff question


class CategoryEntry(_Table):
    slug: Annotated[Slug, _given_once("categories")]
    name: Name
    solve_window: Duration = 20 * 60
    tickle_after: Duration = 4 * 60
    active: bool = True
    fields: list[FieldEntry] = []
    realtime_triggers: list[TriggerEntry] = []

    @field_validator("fields", "realtime_triggers")
    @classmethod
    def _keys_once(cls, entries: list[Any]) -> list[Any]:
        keys = Counter(entry.key for entry in entries)
        if twice := [written(key) for key, times in keys.items() if times > 1]:
            raise problem(f"more than one has the key {', '.join(twice)}")
        return entries


class StaffEntry(_Table):
    username: Annotated[Username, _given_once("staff")]
    name: str = ""
    email: EmailOrNothing = ""
    tier: str
    lead: str | None = None
    skills: list[str] = []  # none: every category
    on_duty: bool = True
    active: bool = True
    realtime_handler: bool = False
    password: str | None = None  # a starting password: never overwrites one chosen since

    @property
    def first_name(self) -> str:
        return self.name.strip().partition(" ")[0]

    @property
    def last_name(self) -> str:
        return self.name.strip().partition(" ")[2]

    @field_validator("tier")
    @classmethod
    def _tier_exists(cls, tier: str, info: ValidationInfo) -> str:
        if tier not in (tiers := _known(info).tiers):
            raise problem(f"no tier {written(tier)} (tiers are: {', '.join(tiers) or 'none'})")
        return tier

    @field_validator("lead")
    @classmethod
    def _lead_exists(cls, lead: str, info: ValidationInfo) -> str:
        if lead == info.data.get("username"):
            raise problem("a person cannot be their own lead")
        if lead not in _known(info).people:
            raise problem(f"no staff member {written(lead)} in the file or the database")
        return lead

    @field_validator("skills")
    @classmethod
    def _skills_exist(cls, skills: list[str], info: ValidationInfo) -> list[str]:
        known = _known(info).categories
        if unknown := [written(skill) for skill in skills if skill not in known]:
            raise problem(
                f"no category {', '.join(unknown)} (categories: {', '.join(sorted(known))})"
            )
        return list(dict.fromkeys(skills))


class RotaEntry(_Table):
    username: str
    starts_on: datetime.date = Field(alias="from")
    ends_on: datetime.date = Field(alias="to")  # inclusive

    @field_validator("username")
    @classmethod
    def _an_executive(cls, username: str, info: ValidationInfo) -> str:
        known = _known(info)
        if (tier := known.people.get(username)) is None:
            raise problem(f"{written(username)} is not a staff member")
        if tier in known.tiers and tier != known.tiers[-1]:
            raise problem(
                f"{written(username)} is in tier {written(tier)}, not in the executive tier "
                f"{written(known.tiers[-1])} (the last tier)"
            )
        return username

    @field_validator("ends_on")
    @classmethod
    def _ends_after_it_starts(cls, ends_on: datetime.date, info: ValidationInfo) -> datetime.date:
        if ends_on < info.data.get("starts_on", ends_on):
            raise problem(f"the entry ends ({ends_on}) before it starts ({info.data['starts_on']})")
        return ends_on


class PhraseEntry(_Table):
    """A company-wide phrase, matched by its title (relaydesk.replies)."""

    title: Annotated[Name, Field(max_length=120), _given_once("phrases")]
    text: Name
    principle: PrincipleName
    tags: list[str] = []


def _words(name: str) -> AfterValidator:
    """A text the customer reads, checked as customer_words checks it; "" means ours."""

    def check(text: str | None) -> str | None:
        if text and (found := customer_words.problems(name, text)):
            raise problem("; ".join(found))
        return text

    return AfterValidator(check)


Words = str | None


class CustomerWordsSection(_Table):
    """[customer_words]: the company's own words (relaydesk.org.customer_words.TEXTS); a text
    left out is kept as it is, "" goes back to ours."""

    acknowledgement_subject: Annotated[Words, _words("acknowledgement_subject")] = None
    acknowledgement: Annotated[Words, _words("acknowledgement")] = None
    reply: Annotated[Words, _words("reply")] = None
    solve: Annotated[Words, _words("solve")] = None
    status_open: Annotated[Words, _words("status_open")] = None
    status_waiting: Annotated[Words, _words("status_waiting")] = None
    status_solved: Annotated[Words, _words("status_solved")] = None
    promise_open: Annotated[Words, _words("promise_open")] = None
    promise_solved: Annotated[Words, _words("promise_solved")] = None
    message_received: Annotated[Words, _words("message_received")] = None
    survey_heading: Annotated[Words, _words("survey_heading")] = None
    survey_delighted: Annotated[Words, _words("survey_delighted")] = None
    survey_fix: Annotated[Words, _words("survey_fix")] = None
    survey_thanks: Annotated[Words, _words("survey_thanks")] = None
    wait_heading: Annotated[Words, _words("wait_heading")] = None
    wait_until: Annotated[Words, _words("wait_until")] = None
    wait_typed_heading: Annotated[Words, _words("wait_typed_heading")] = None
    wait_typed_note: Annotated[Words, _words("wait_typed_note")] = None
    wait_back: Annotated[Words, _words("wait_back")] = None
    contact_wait_address: Annotated[Words, _words("contact_wait_address")] = None
    contact_wait_network: Annotated[Words, _words("contact_wait_network")] = None


class CompanyFile(_Table):
    """A checked company file, ready to apply; a section the file leaves out is None."""

    company: CompanySection | None = None
    tiers: Annotated[list[TierEntry], Field(min_length=1)] | None = None  # bottom first
    categories: list[CategoryEntry] = []
    staff: list[StaffEntry] = []
    executive_rota: list[RotaEntry] | None = None  # when given, the whole rota
    customer_words: CustomerWordsSection | None = None  # left out: kept
    phrases: list[PhraseEntry] = []  # added or updated by title; others are kept

    @field_validator("tiers")
    @classmethod
    def _every_tier_listed(cls, tiers: list[TierEntry], info: ValidationInfo) -> list[TierEntry]:
        listed = {tier.slug for tier in tiers}
        if left_out := [s for s in _known(info).tiers_in_database if s not in listed]:
            raise problem(
                f"the database has the tier {', '.join(map(written, left_out))}: list it too "
                "(init never deletes a tier)"
            )
        return tiers


# ---------------------------------------------------------------- reading


def read_company_file(path: str | Path) -> CompanyFile:
    """The checked contents of the file, or CompanyFileError listing every problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CompanyFileError(
            str(path), [(0, f"cannot read the file: {error.strerror}")]
        ) from None
    return read_company_text(text, name=str(path))


def read_company_text(text: str, *, name: str = "company.toml") -> CompanyFile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        where = int(line.group(1)) if line else 0
        raise CompanyFileError(name, [(where, f"not valid TOML: {error}")]) from None
    try:
        return CompanyFile.model_validate(data, context=Known.of(data))
    except ValidationError as error:
        raise CompanyFileError(name, problems(error, text, CompanyFile)) from None
