"""The company file: one TOML file that creates or updates the company (`relaydesk init FILE`).

Reading happens in two passes so that nothing is half applied: `read_company_file` checks the
whole file against itself and the database and collects every problem with its line number;
only a file without problems reaches relaydesk.setup.company_apply, which writes it in one
transaction. Running the same file twice changes nothing: everything is matched by slug or
username.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug

from relaydesk.org.models import Category, FieldType, Staff, Tier
from relaydesk.setup.toml_source import SourceMap

SECTIONS = {"company", "tiers", "staff", "categories", "executive_rota"}
COMPANY_KEYS = {"name", "time_zone", "reassurance_script"}
TIER_KEYS = {"slug", "name"}
STAFF_KEYS = {
    "username",
    "name",
    "email",
    "tier",
    "lead",
    "skills",
    "on_duty",
    "active",
    "password",
    "realtime_handler",
}
CATEGORY_KEYS = {
    "slug",
    "name",
    "solve_window",
    "tickle_after",
    "fields",
    "realtime_triggers",
    "active",
}
FIELD_KEYS = {"key", "label", "type", "required", "choices", "help_text"}
TRIGGER_KEYS = {"key", "question"}
ROTA_KEYS = {"username", "from", "to"}

DURATION_RE = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*$")


class CompanyFileError(Exception):
    """Every problem found in a company file, each with its line number."""

    def __init__(self, path: str, problems: list[tuple[int, str]]):
        self.path = path
        self.problems = sorted(problems)
        lines = [f"{path}:{line}: {message}" for line, message in self.problems]
        noun = "problem" if len(lines) == 1 else "problems"
        super().__init__(
            f"{len(lines)} {noun} in {path}; nothing was changed.\n" + "\n".join(lines)
        )


def parse_duration(text) -> int:
    """Minutes in "20h", "90m", "2d" or combinations like "1d12h"; ValueError otherwise."""
    if not isinstance(text, str):
        raise ValueError(f'write a duration as text such as "20h", "90m" or "2d", not {text!r}')
    match = DURATION_RE.match(text)
    if not match or not any(match.groups()):
        raise ValueError(f'{text!r} is not a duration; write it like "20h", "90m" or "2d"')
    days, hours, minutes = (int(part or 0) for part in match.groups())
    total = days * 24 * 60 + hours * 60 + minutes
    if total <= 0:
        raise ValueError(f"{text!r} is not a duration longer than zero")
    return total


@dataclass
class FieldSpec:
    key: str
    label: str
    type: str
    required: bool
    choices: list[str]
    help_text: str


@dataclass
class CategorySpec:
    slug: str
    name: str
    solve_window_minutes: int
    tickle_after_minutes: int
    active: bool
    fields: list[FieldSpec]
    triggers: list[tuple[str, str]]


@dataclass
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    email: str
    tier: str
    lead: str | None
    skills: list[str]
    on_duty: bool
    active: bool
    realtime_handler: bool
    password: str | None


@dataclass
class CompanySpec:
    """A checked company file, ready to apply."""

    company: dict | None = None
    tiers: list[tuple[str, str]] | None = None
    categories: list[CategorySpec] = field(default_factory=list)
    staff: list[StaffSpec] = field(default_factory=list)
    rota: list[tuple[str, datetime.date, datetime.date]] | None = None


class _Checker:
    """Collects problems while turning the parsed TOML into a CompanySpec."""

    def __init__(self, data: dict, source: SourceMap):
        self.data = data
        self.source = source
        self.problems: list[tuple[int, str]] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    # small typed getters: each reports a wrong type at the key's line
    def _get(self, table, section, position, key, kind, *, required=False, default=None):
        if key not in table:
            if required:
                self.problem(
                    self.source.table(section, position),
                    f"{self._where(section, position)} needs {key!r}.",
                )
            return default
        value = table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = {str: "text", bool: "true or false", list: "a list", int: "a whole number"}
            self.problem(
                self.source.key(section, position, key),
                f"{key!r} must be {names.get(kind, kind.__name__)}, not {value!r}.",
            )
            return default
        if kind is str and required and not value.strip():
            self.problem(self.source.key(section, position, key), f"{key!r} must not be empty.")
            return default
        return value

    @staticmethod
    def _where(section: str, position: int | None) -> str:
        return f"[{section}]" if position is None else f"[[{section}]] number {position + 1}"

    def _unknown_keys(self, table: dict, allowed: set[str], section: str, position) -> None:
        for key in table:
            if key not in allowed:
                self.problem(
                    self.source.key(section, position, key),
                    f"unknown key {key!r} in {self._where(section, position)}; "
                    f"known keys: {', '.join(sorted(allowed))}.",
                )

    def _array_of_tables(self, name: str) -> list[dict] | None:
        if name not in self.data:
            return None
        value = self.data[name]
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problem(self.source.top_level(name), f"write {name} as [[{name}]] tables.")
            return None
        return value

    def check(self) -> CompanySpec:
        spec = CompanySpec()
        for key in self.data:
            if key not in SECTIONS:
                self.problem(
                    self.source.top_level(key),
                    f"unknown section {key!r}; known sections: {', '.join(sorted(SECTIONS))}.",
                )
        spec.company = self._company()
        spec.tiers = self._tiers()
        tier_slugs = (
            [slug for slug, _ in spec.tiers]
            if spec.tiers is not None
            else list(Tier.objects.values_list("slug", flat=True))
        )
        spec.categories = self._categories()
        # Slugs as written, even of categories with problems of their own, so one mistake
        # is reported once and not again at every person who has that skill.
        written = self.data.get("categories")
        category_slugs = {
            table.get("slug")
            for table in (written if isinstance(written, list) else [])
            if isinstance(table, dict)
        } | set(Category.objects.values_list("slug", flat=True))
        spec.staff = self._staff(set(tier_slugs), category_slugs)
        top_tier = tier_slugs[-1] if tier_slugs else None
        spec.rota = self._rota(top_tier, set(tier_slugs))
        return spec

    def _company(self) -> dict | None:
        if "company" not in self.data:
            return None
        table = self.data["company"]
        if not isinstance(table, dict):
            self.problem(
                self.source.top_level("company"), "write the company as a [company] table."
            )
            return None
        self._unknown_keys(table, COMPANY_KEYS, "company", None)
        values = {"name": self._get(table, "company", None, "name", str, required=True)}
        time_zone = self._get(table, "company", None, "time_zone", str, default="UTC")
        try:
            ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            self.problem(
                self.source.key("company", None, "time_zone"),
                f'unknown time zone {time_zone!r}; use a name like "Europe/Amsterdam".',
            )
        values["time_zone"] = time_zone
        script = self._get(table, "company", None, "reassurance_script", str)
        if script is not None:
            values["reassurance_script"] = script
        return values

    def _slug(self, value, section, position, key="slug") -> bool:
        try:
            validate_slug(value)
        except ValidationError:
            self.problem(
                self.source.key(section, position, key),
                f"{value!r} is not a valid {key}: use letters, numbers, - and _.",
            )
            return False
        return True

    def _tiers(self) -> list[tuple[str, str]] | None:
        tables = self._array_of_tables("tiers")
        if tables is None:
            return None
        tiers: list[tuple[str, str]] = []
        seen: set[str] = set()
        for position, table in enumerate(tables):
            self._unknown_keys(table, TIER_KEYS, "tiers", position)
            slug = self._get(table, "tiers", position, "slug", str, required=True)
            name = self._get(table, "tiers", position, "name", str, required=True)
            if slug is None or not self._slug(slug, "tiers", position):
                continue
            if slug in seen:
                self.problem(
                    self.source.key("tiers", position, "slug"), f"tier {slug!r} appears twice."
                )
                continue
            seen.add(slug)
            tiers.append((slug, name or slug.title()))
        if not tables:
            self.problem(self.source.top_level("tiers"), "list at least one tier.")
        leftover = Tier.objects.exclude(slug__in=seen).values_list("slug", flat=True)
        if tables and leftover:
            self.problem(
                self.source.table("tiers", 0),
                f"the database has tier(s) {', '.join(sorted(leftover))} that the file does "
                "not list; add them to the file (tiers are never deleted by init).",
            )
        return tiers

    def _categories(self) -> list[CategorySpec]:
        tables = self._array_of_tables("categories") or []
        categories = []
        seen: set[str] = set()
        for position, table in enumerate(tables):
            self._unknown_keys(table, CATEGORY_KEYS, "categories", position)
            slug = self._get(table, "categories", position, "slug", str, required=True)
            name = self._get(table, "categories", position, "name", str, required=True)
            minutes = {}
            for key, default in (("solve_window", "20h"), ("tickle_after", "4h")):
                raw = table.get(key, default)
                try:
                    minutes[key] = parse_duration(raw)
                except ValueError as error:
                    self.problem(self.source.key("categories", position, key), f"{key}: {error}.")
            active = self._get(table, "categories", position, "active", bool, default=True)
            fields = self._fields(table, position)
            triggers = self._triggers(table, position)
            if slug is None or not self._slug(slug, "categories", position):
                continue
            if slug in seen:
                self.problem(
                    self.source.key("categories", position, "slug"),
                    f"category {slug!r} appears twice.",
                )
                continue
            seen.add(slug)
            if len(minutes) == 2:
                categories.append(
                    CategorySpec(
                        slug=slug,
                        name=name or slug.title(),
                        solve_window_minutes=minutes["solve_window"],
                        tickle_after_minutes=minutes["tickle_after"],
                        active=active,
                        fields=fields,
                        triggers=triggers,
                    )
                )
        return categories

    def _inline_tables(self, table, position, key) -> list[dict]:
        items = self._get(table, "categories", position, key, list, default=[])
        good = []
        for item in items:
            if isinstance(item, dict):
                good.append(item)
            else:
                self.problem(
                    self.source.key("categories", position, key),
                    f'each of {key} must be a table like {{ key = "…", … }}, not {item!r}.',
                )
        return good

    def _fields(self, table, position) -> list[FieldSpec]:
        specs = []
        seen: set[str] = set()
        for item in self._inline_tables(table, position, "fields"):
            key = item.get("key")
            line = (
                self.source.text("categories", position, "key", f'"{key}"')
                if isinstance(key, str)
                else self.source.key("categories", position, "fields")
            )
            problems_before = len(self.problems)
            for unknown in sorted(set(item) - FIELD_KEYS):
                self.problem(
                    line,
                    f"unknown key {unknown!r} in field {key!r}; "
                    f"known keys: {', '.join(sorted(FIELD_KEYS))}.",
                )
            if not isinstance(key, str) or not key:
                self.problem(line, "every field needs a key (text).")
                continue
            try:
                validate_slug(key)
            except ValidationError:
                self.problem(line, f"field key {key!r} must use only letters, numbers, - and _.")
            if key in seen:
                self.problem(line, f"field {key!r} appears twice in this category.")
            seen.add(key)
            label = item.get("label", key.replace("_", " ").capitalize())
            kind = item.get("type", FieldType.SHORT_TEXT)
            if kind not in FieldType.values:
                self.problem(
                    line,
                    f"field {key!r} has unknown type {kind!r}; "
                    f"types: {', '.join(FieldType.values)}.",
                )
            required = item.get("required", False)
            if not isinstance(required, bool):
                self.problem(line, f"field {key!r}: required must be true or false.")
            choices = item.get("choices", [])
            if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
                self.problem(line, f"field {key!r}: choices must be a list of text.")
                choices = []
            if kind == FieldType.CHOICE and not choices:
                self.problem(line, f"field {key!r} is a choice: list its choices.")
            if kind != FieldType.CHOICE and choices:
                self.problem(line, f"field {key!r} has choices but its type is {kind!r}.")
            help_text = item.get("help_text", "")
            if not isinstance(label, str) or not isinstance(help_text, str):
                self.problem(line, f"field {key!r}: label and help_text must be text.")
            if len(self.problems) == problems_before:
                specs.append(FieldSpec(key, label, kind, required, choices, help_text))
        return specs

    def _triggers(self, table, position) -> list[tuple[str, str]]:
        triggers = []
        seen: set[str] = set()
        for item in self._inline_tables(table, position, "realtime_triggers"):
            key = item.get("key")
            line = (
                self.source.text("categories", position, "key", f'"{key}"')
                if isinstance(key, str)
                else self.source.key("categories", position, "realtime_triggers")
            )
            for unknown in sorted(set(item) - TRIGGER_KEYS):
                self.problem(
                    line,
                    f"unknown key {unknown!r} in realtime trigger {key!r}; "
                    f"known keys: {', '.join(sorted(TRIGGER_KEYS))}.",
                )
            question = item.get("question")
            if not isinstance(key, str) or not isinstance(question, str) or not question.strip():
                self.problem(line, "every realtime trigger needs a key and a question (text).")
                continue
            try:
                validate_slug(key)
            except ValidationError:
                self.problem(line, f"trigger key {key!r} must use only letters, numbers, - and _.")
                continue
            if key in seen:
                self.problem(line, f"realtime trigger {key!r} appears twice in this category.")
                continue
            seen.add(key)
            triggers.append((key, question))
        return triggers

    def _staff(self, tier_slugs: set[str], category_slugs: set[str]) -> list[StaffSpec]:
        tables = self._array_of_tables("staff") or []
        staff = []
        usernames = [t.get("username") for t in tables]
        known_people = set(usernames) | set(Staff.objects.values_list("user__username", flat=True))
        seen: set[str] = set()
        username_validator = UnicodeUsernameValidator()
        for position, table in enumerate(tables):
            problems_before = len(self.problems)
            self._unknown_keys(table, STAFF_KEYS, "staff", position)
            get = self._get
            username = get(table, "staff", position, "username", str, required=True)
            name = get(table, "staff", position, "name", str, default="")
            email = get(table, "staff", position, "email", str, default="")
            tier = get(table, "staff", position, "tier", str, required=True)
            lead = get(table, "staff", position, "lead", str)
            skills = get(table, "staff", position, "skills", list, default=[])
            on_duty = get(table, "staff", position, "on_duty", bool, default=True)
            active = get(table, "staff", position, "active", bool, default=True)
            realtime = get(table, "staff", position, "realtime_handler", bool, default=False)
            password = get(table, "staff", position, "password", str)
            if username is not None:
                try:
                    username_validator(username)
                except ValidationError:
                    self.problem(
                        self.source.key("staff", position, "username"),
                        f"{username!r} is not a valid username (letters, digits and @.+-_).",
                    )
                if username in seen:
                    self.problem(
                        self.source.key("staff", position, "username"),
                        f"{username!r} appears twice.",
                    )
                seen.add(username)
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    self.problem(
                        self.source.key("staff", position, "email"),
                        f"{email!r} is not an email address.",
                    )
            if tier is not None and tier not in tier_slugs:
                self.problem(
                    self.source.key("staff", position, "tier"),
                    f"{username}: unknown tier {tier!r}; tiers: {', '.join(sorted(tier_slugs))}.",
                )
            if lead is not None:
                if lead == username:
                    self.problem(
                        self.source.key("staff", position, "lead"),
                        f"{username} cannot be their own lead.",
                    )
                elif lead not in known_people:
                    self.problem(
                        self.source.key("staff", position, "lead"),
                        f"{username}: the lead {lead!r} is not a staff member in the file.",
                    )
            for skill in skills:
                if skill not in category_slugs:
                    self.problem(
                        self.source.key("staff", position, "skills"),
                        f"{username}: unknown category {skill!r} in skills.",
                    )
            if len(self.problems) == problems_before:
                first, _, last = name.strip().partition(" ")
                staff.append(
                    StaffSpec(
                        username=username,
                        first_name=first,
                        last_name=last,
                        email=email,
                        tier=tier,
                        lead=lead,
                        skills=list(dict.fromkeys(skills)),
                        on_duty=on_duty,
                        active=active,
                        realtime_handler=realtime,
                        password=password,
                    )
                )
        return staff

    def _rota(self, top_tier: str | None, known_tiers: set[str]):
        tables = self._array_of_tables("executive_rota")
        if tables is None:
            return None
        raw_staff = self.data.get("staff", [])
        tiers_in_file = {
            t.get("username"): t.get("tier")
            for t in (raw_staff if isinstance(raw_staff, list) else [])
            if isinstance(t, dict)
        }
        tiers_in_db = dict(Staff.objects.values_list("user__username", "tier__slug"))
        rota = []
        for position, table in enumerate(tables):
            problems_before = len(self.problems)
            self._unknown_keys(table, ROTA_KEYS, "executive_rota", position)
            username = self._get(table, "executive_rota", position, "username", str, required=True)
            dates = {}
            for key in ("from", "to"):
                value = table.get(key)
                if type(value) is not datetime.date:
                    self.problem(
                        self.source.key("executive_rota", position, key)
                        if key in table
                        else self.source.table("executive_rota", position),
                        f"{key!r} must be a date like 2026-11-01 (no quotes), not {value!r}.",
                    )
                else:
                    dates[key] = value
            if username is not None:
                tier = tiers_in_file.get(username, tiers_in_db.get(username))
                if tier is None:
                    self.problem(
                        self.source.key("executive_rota", position, "username"),
                        f"{username!r} on the executive rota is not a staff member.",
                    )
                elif top_tier is not None and tier != top_tier and tier in known_tiers:
                    self.problem(
                        self.source.key("executive_rota", position, "username"),
                        f"{username!r} is on the executive rota but in tier {tier!r}, "
                        f"not the executive tier {top_tier!r}.",
                    )
            if len(dates) == 2 and dates["to"] < dates["from"]:
                self.problem(
                    self.source.key("executive_rota", position, "to"),
                    f"the rota entry ends ({dates['to']}) before it starts ({dates['from']}).",
                )
            if len(self.problems) == problems_before:
                rota.append((username, dates["from"], dates["to"]))
        return rota


def read_company_file(path: str | Path) -> CompanySpec:
    """The checked contents of the file, or CompanyFileError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CompanyFileError(
            str(path), [(0, f"cannot read the file: {error.strerror}")]
        ) from None
    return read_company_text(text, name=str(path))


def read_company_text(text: str, *, name: str = "company.toml") -> CompanySpec:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or _line_from_message(str(error))
        message = getattr(error, "msg", None) or str(error)
        raise CompanyFileError(name, [(line, f"not valid TOML: {message}")]) from None
    checker = _Checker(data, SourceMap(text))
    spec = checker.check()
    if checker.problems:
        raise CompanyFileError(name, checker.problems)
    return spec


def _line_from_message(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 0
