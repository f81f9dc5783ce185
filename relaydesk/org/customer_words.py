"""The words the customer reads, in the company's own words (issue 13, part 8).

Each text the customer reads (the acknowledgement, the reply wrapper, the solve mail, the status
page and its survey) has our default, the placeholders it may use and those it must use. A
company changes a text in the company file (`[customer_words]`) or the admin; both refuse a text
`problems()` finds fault with, so a text in the database is one we can fill.

Filling is one pass over the company's text and never `str.format`: a value (a customer's name,
a subject, the words staff wrote) goes in as it is and is never read again for placeholders, so
a name holding `{ref}` stays `{ref}`. Only plain names are placeholders: `{ref.__class__}`,
`{ref[0]}`, `{0}`, `{ref!r}` and `{ref:>9}` are refused, not looked up. Names and subjects are
one-line values: their line breaks become spaces wherever they go. On the status page the
filled text is escaped by the template like any other value; `marked_page_words` escapes it
itself, so the page's own markup can go around a value (the moment in a `<time>`).

The contact page's texts come before there is a case: they may use `{company}` only, so a
company cannot write a placeholder /contact has nothing to fill with.
"""

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from relaydesk.org.models import Company, CustomerWords

log = logging.getLogger(__name__)

# `{{` and `}}` are a brace; `{name}` is a placeholder; any other brace is a mistake.
TOKEN_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
NAME_RE = re.compile(r"[a-z][a-z_]*")

PLACEHOLDERS: dict[str, str] = {
    "ref": "the case's reference, like RD-1042",
    "subject": "the case's subject, as the customer wrote it",
    "name": "the customer's name",
    "first_name": "the first word of the customer's name",
    "company": "the company's name",
    "promise": 'when the customer will have our answer, like "by tomorrow 11:00"',
    "status_link": "the link to the case's status page (a new one in every mail)",
    "reply": "the words staff wrote to the customer",
    "resolution": "what was done, in the owner's words",
    "writer": "the first name of the staff member who wrote the reply or solved the case",
    "since": "when the case started waiting for the customer's answer",
    "until": "when the customer can write on the status page again, like 30/11/2026 10:00",
}
ABOUT_THE_CASE = ("ref", "subject", "name", "first_name", "company")
ABOUT_THE_COMPANY = ("company",)  # before there is a case (/contact)
ONE_LINE_VALUES = ("subject", "name", "first_name", "company", "writer", "since")


@dataclass(frozen=True)
class Text:
    name: str
    where: str  # what the customer reads it in
    default: str
    may_use: tuple[str, ...]  # besides `about`
    must_use: tuple[str, ...] = ()
    one_line: bool = False
    about: tuple[str, ...] = ABOUT_THE_CASE  # what the page knows before `may_use`

    @property
    def placeholders(self) -> tuple[str, ...]:
        return (*self.about, *self.may_use)


FOOTER = (
    "\n\n-- \n"
    "Follow your case {ref} here: {status_link}\n"
    "Reply to this mail to answer us; keep {ref} in the subject.\n"
)

MAIL_TEXTS = [
    Text(
        "acknowledgement_subject",
        "the acknowledgement's subject, after the [RD-n] tag",
        "We have your case: {subject}",
        (),
        one_line=True,
    ),
    Text(
        "acknowledgement",
        "the acknowledgement mail every new case sends",
        "Dear {name},\n\n"
        "Thank you for telling us about this. Your problem is real and we will deal with it: "
        "your case is {ref} and you will have our answer {promise}.\n\n"
        "You can follow your case, add to it or reply at any time here:\n{status_link}\n\n"
        "Or simply reply to this email; keep {ref} in the subject.\n",
        ("promise", "status_link"),
        must_use=("status_link",),
    ),
    Text(
        "reply",
        "every reply mail, around the words staff wrote",
        "{reply}" + FOOTER,
        ("reply", "status_link", "writer"),
        must_use=("reply", "status_link"),
    ),
    Text(
        "solve",
        "the solve mail, with the survey's invitation",
        "Dear {name},\n\n"
        "Your case {ref} is solved. This is what we did:\n\n"
        "{resolution}\n\n"
        "If anything is still not right, reply to this mail or use the link below; "
        "we reopen your case.\n\n"
        "How did we do? On your case's page (the link below) you can rate our help from 1 "
        "to 5 and tell us what delighted you and what we should fix: two minutes, once. "
        "Opening the link records nothing; only your answer does." + FOOTER,
        ("resolution", "status_link", "writer"),
        must_use=("resolution", "status_link"),
    ),
]


def _page_text(name: str, where: str, default: str, *may_use: str) -> Text:
    return Text(name, where, default, may_use, one_line=True)


STATUS_PAGE_TEXTS = [
    _page_text("status_open", "the status page: an open case's status", "We are working on it"),
    _page_text(
        "status_waiting",
        "the status page: a case waiting for the customer's answer",
        "Waiting for you since {since}",
        "since",
    ),
    _page_text("status_solved", "the status page: a solved case's status", "Solved"),
    _page_text(
        "promise_open",
        "the status page: the promise of an open case",
        "You will have our answer {promise}.",
        "promise",
    ),
    _page_text(
        "promise_solved",
        "the status page: the promise of a solved case",
        "We promised our answer {promise}.",
        "promise",
    ),
    _page_text(
        "message_received",
        "the status page, after the customer wrote",
        "Thank you: we have your message.",
    ),
    _page_text("survey_heading", "the status page: the survey's heading", "How did we do?"),
    _page_text(
        "survey_delighted",
        "the status page: the survey's first question",
        "What delighted you? (optional)",
    ),
    _page_text(
        "survey_fix",
        "the status page: the survey's second question",
        "What should we fix? (optional)",
    ),
    _page_text(
        "survey_thanks",
        "the status page, after the survey was answered",
        "Thank you for your answer.",
    ),
]

# The status page's wait (status_limit): what a customer beyond the limit reads, with the words
# they typed shown back.
WAIT_TEXTS = [
    _page_text(
        "wait_heading", "the status page's wait: its heading", "Please write again a little later"
    ),
    Text(
        "wait_until",
        "the status page's wait: why, and from when they can write again",
        "We have had several messages on your case {ref} in the last hour, and we read every "
        "one. You can write here again from {until}. If it cannot wait, reply to our latest "
        "email.",
        ("until",),
        must_use=("until",),
        one_line=True,
    ),
    _page_text(
        "wait_typed_heading",
        "the status page's wait: above the words they typed",
        "What you wrote, so nothing is lost",
    ),
    _page_text(
        "wait_typed_note",
        "the status page's wait: what to do with the words they typed",
        "We have not sent this yet. Copy it, and send it again from your case's page then.",
    ),
    _page_text(
        "wait_back", "the status page's wait: the link back to the case", "Back to your case"
    ),
]


def _contact_text(name: str, where: str, default: str) -> Text:
    return Text(name, where, default, (), one_line=True, about=ABOUT_THE_COMPANY)


# /contact beyond its limits: there is no case yet.
CONTACT_TEXTS = [
    _contact_text(
        "contact_wait_address",
        "the contact page: too many messages from one address in the last hour",
        "We already have several messages from this address in the last hour. "
        "Please reply to the acknowledgement email we sent you instead, or try again later.",
    ),
    _contact_text(
        "contact_wait_network",
        "the contact page: too many messages from one network in the last hour",
        "Too many messages from your network in the last hour. Please try again later.",
    ),
]

PAGE_TEXTS = [*STATUS_PAGE_TEXTS, *WAIT_TEXTS, *CONTACT_TEXTS]
TEXTS: dict[str, Text] = {text.name: text for text in [*MAIL_TEXTS, *PAGE_TEXTS]}


# ---------------------------------------------------------------- checking a company's text


def _placeholder_problem(field: str, text: Text) -> str | None:
    shown = "{" + field + "}"
    if not field.strip():
        return "{} is not a placeholder: name one, like {ref} (write {{ and }} for a brace)"
    if field.isdigit():
        return f"{shown} is not a placeholder: name one, like {{ref}}"
    if any(mark in field for mark in ".[]"):
        return f"{shown}: write a placeholder alone, like {{ref}}, without . or [ ] after it"
    if any(mark in field for mark in "!:"):
        return f"{shown}: write a placeholder alone, like {{ref}}, without ! or : after it"
    if not NAME_RE.fullmatch(field) or field not in text.placeholders:
        return f"unknown placeholder {shown}; {text.name} may use {listed(text.placeholders)}"
    return None


def listed(names: Iterable[str]) -> str:
    return ", ".join("{" + name + "}" for name in names)


def problems(name: str, template: str) -> list[str]:
    """What is wrong with `template` as the company's text `name`, in plain words; none: fine."""
    text = TEXTS.get(name)
    if text is None:
        return [f"no text is called {name!r}; the texts are: {', '.join(TEXTS)}"]
    found: list[str] = []
    used: set[str] = set()
    for match in TOKEN_RE.finditer(template):
        piece, field = match.group(0), match.group(1)
        if piece == "{":
            found.append("a { without its }: write {{ for a brace, or close the placeholder")
        elif piece == "}":
            found.append("a } without its {: write }} for a brace")
        elif field is not None:
            if (why := _placeholder_problem(field, text)) is not None:
                found.append(why)
            else:
                used.add(field)
    if missing := [must for must in text.must_use if must not in used]:
        found.append(f"{text.name} must use {listed(missing)}")
    if text.one_line and ("\n" in template or "\r" in template):
        found.append(f"{text.name} is one line: write it without line breaks")
    if not template.strip():
        found.append(f"{text.name} must not be empty")
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------- filling one


def one_line(value: str) -> str:
    return " ".join(value.split())


def first_name(name: str) -> str:
    return one_line(name).partition(" ")[0]


def fill(template: str, values: Mapping[str, str]) -> str:
    """`template` with its placeholders replaced by `values`, in one pass (the values are put
    in as they are). The template must have passed `problems()`."""

    def put(match: re.Match[str]) -> str:
        piece = match.group(0)
        if piece in ("{{", "}}"):
            return piece[0]
        return values.get(match.group(1), "")

    return TOKEN_RE.sub(put, template)


def _used(template: str) -> set[str]:
    return {match.group(1) for match in TOKEN_RE.finditer(template) if match.group(1)}


class Words:
    """The company's texts for one mail or page, read in one query; ours where it has none."""

    def __init__(self, stored: Mapping[str, str]):
        self.stored = stored

    @classmethod
    def load(cls, names: Iterable[str]) -> "Words":
        rows = CustomerWords.objects.filter(name__in=list(names)).values_list("name", "text")
        return cls(dict(rows))

    def template(self, name: str) -> str:
        text = TEXTS[name]
        chosen = self.stored.get(name)
        if chosen is None:
            return text.default
        if found := problems(name, chosen):  # written past the checks (a shell, an old rule)
            log.warning("customer words %s are not used: %s", name, "; ".join(found))
            return text.default
        return chosen

    def render(self, text_name: str, /, **values: str) -> str:
        """Text `text_name` with `values` in its placeholders; `first_name` comes from `name`
        and `company` is read when the text uses it and the caller did not give it."""
        template = self.template(text_name)
        filled = fill(template, _given(template, values))
        return one_line(filled) if TEXTS[text_name].one_line else filled

    def render_marked(self, text_name: str, /, **values: str) -> SafeString:
        """`render`, as HTML: the company's words are escaped and so is each value, unless the
        caller marked it safe (the page's own markup around a value it made)."""
        template = self.template(text_name)
        given = {key: conditional_escape(value) for key, value in _given(template, values).items()}
        filled = fill(escape(template), given)  # escaping leaves the placeholders as they are
        # Safe: the company's words and every value not marked safe by our code were escaped.
        return mark_safe(one_line(filled) if TEXTS[text_name].one_line else filled)  # noqa: S308


def _given(template: str, values: Mapping[str, str]) -> dict[str, str]:
    """`values` with what the template uses besides: `first_name` from `name`, and `company`
    (read) when the caller did not give it; one-line values on one line."""
    given = dict(values)
    if "name" in given:
        given.setdefault("first_name", first_name(given["name"]))
    if "company" in _used(template) and "company" not in given:
        given["company"] = Company.objects.values_list("name", flat=True).first() or ""
    for key in ONE_LINE_VALUES:
        if key in given:
            given[key] = one_line(given[key])
    return given


def render(text_name: str, /, **values: str) -> str:
    """A text in the company's words (ours when it has none), its placeholders filled."""
    return Words.load([text_name]).render(text_name, **values)


def page_words(texts: Iterable[Text] = STATUS_PAGE_TEXTS, /, **values: str) -> dict[str, str]:
    """A page's texts (the status page's unless told), filled from `values` (one query)."""
    texts = list(texts)
    words = Words.load(text.name for text in texts)
    return {text.name: words.render(text.name, **values) for text in texts}


def marked_page_words(texts: Iterable[Text], /, **values: str) -> dict[str, SafeString]:
    """`page_words` as HTML (`Words.render_marked`): a value marked safe keeps its markup."""
    texts = list(texts)
    words = Words.load(text.name for text in texts)
    return {text.name: words.render_marked(text.name, **values) for text in texts}
