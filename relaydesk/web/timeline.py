"""Each event of a case's history as one line a person reads, and the lines as the case
page's timeline."""

from dataclasses import dataclass, field
from datetime import datetime
from html import escape as _escape

from django.utils.safestring import SafeString, mark_safe

from relaydesk.cases.details import uploaded_file
from relaydesk.cases.models import Case, Event, EventKind, PassReason
from relaydesk.problems.models import Problem
from relaydesk.web.templatetags.relaydesk_web import ago, iso, when


def _name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """A person as User.get_full_name() writes them, else their username; nobody is the system."""
    if username is None:
        return "the system"
    return f"{first_name} {last_name}".strip() or username


def _reason(code: str) -> str:
    return PassReason(code).label if code in PassReason.values else code


# The conversation's three voices, told apart on the page (class `voice-…` and a label).
VOICES: dict[str, tuple[str, str]] = {
    EventKind.CUSTOMER_WROTE: ("customer", "Customer"),
    EventKind.REPLIED: ("reply", "Reply to customer"),
    EventKind.NOTE: ("note", "Internal note"),
}


@dataclass(slots=True)
class EventRow:
    """An event as the timeline reads it, with the names it shows (case_events says why not
    the model)."""

    kind: str
    at: datetime
    actor_id: int | None
    to_owner_id: int | None
    reason: str
    body: str
    data: dict
    to_tier: str  # the tier's name, or ""
    actor: str  # the people's names (_name)
    from_owner: str
    to_owner: str


@dataclass
class Line:
    event: EventRow
    headline: str
    body: str = ""
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    body_is_mail: bool = False
    # Files the event brought ({"id", "name"}); the case page links those the case keeps.
    files: list[dict] = field(default_factory=list)

    @property
    def voice(self) -> str:
        """The line's voice in the conversation (customer, reply, note), or "" for the rest."""
        return VOICES[self.event.kind][0] if self.event.kind in VOICES else ""

    @property
    def voice_label(self) -> str:
        if self.event.kind not in VOICES:
            return ""
        if (self.event.data or {}).get("verified") is False:
            return "Customer? (unverified)"
        return VOICES[self.event.kind][1]


def _shown(value):
    """A detail value as the timeline shows it: an uploaded file by its name."""
    upload = uploaded_file(value)
    return upload["name"] if upload else value


def problem_titles(events: list[EventRow]) -> dict[int, str]:
    """Titles of the problems the solved events link to: one query, only when there are any."""
    ids = {e.data.get("problem_id") for e in events if e.kind == EventKind.SOLVED and e.data}
    ids.discard(None)
    if not ids:
        return {}
    return dict(Problem.objects.filter(pk__in=ids).values_list("id", "title"))


def describe(  # noqa: C901 - one flat branch per event kind: reads as the table of sentences
    event: EventRow, labels: dict[str, str], problems: dict[int, str] | None = None
) -> Line:
    """`labels` maps detail keys to field labels (for field changes), `problems` ids to titles."""
    kind, actor, data = event.kind, event.actor, event.data or {}
    to_owner, to_tier = event.to_owner, event.to_tier
    if kind == EventKind.OPENED:
        lane = " in the realtime lane" if data.get("realtime") else ""
        channel = data.get("channel", "")
        return Line(
            event,
            f"Opened by {actor}{' (' + channel + ')' if channel else ''}{lane}; "
            f"owner {to_owner} ({to_tier})",
            event.body,
        )
    if kind == EventKind.ACKNOWLEDGED:
        return Line(
            event,
            f"Acknowledgement sent to {data.get('to', 'the customer')}: {data.get('subject', '')}",
            event.body,
            body_is_mail=True,
        )
    if kind == EventKind.TAKEN:
        return Line(event, f"{actor} took it from {event.from_owner}")
    if kind == EventKind.PASSED:
        direction = {"up": " up", "down": " down"}.get(data.get("direction", ""), "")
        left = f"{event.from_owner} left; " if data.get("left") else ""  # cases.leaving
        return Line(
            event,
            f"{left}{actor} passed it{direction} to {to_owner} ({to_tier}): "
            f"{_reason(event.reason)}",
            event.body,
        )
    if kind == EventKind.NOTE:
        return Line(event, f"{actor} added a note", event.body)
    if kind == EventKind.FIELD_CHANGED:
        return _details_changed(event, actor, data.get("changes") or {}, labels)
    if kind == EventKind.SOLVED:
        mailed = "; the customer was mailed the resolution" if data.get("mail") else ""
        headline = f"{actor} solved it{_second_fix(data, problems or {})}{mailed}"
        return Line(event, headline, event.body)
    if kind == EventKind.REOPENED:
        who = "the customer" if data.get("by") == "customer" else actor
        return Line(event, f"Reopened by {who}; owner {to_owner} ({to_tier})", event.body)
    if kind == EventKind.ESCALATED:
        return Line(event, f"Deadline passed: escalated to {to_owner} ({to_tier})", event.body)
    if kind == EventKind.TICKLED:
        gave_up = ": the customer has not answered" if event.reason == "waiting_gave_up" else ""
        to = to_owner if event.to_owner_id else "the owner"
        return Line(event, f"Reminder sent to {to}{gave_up}", event.body)
    if kind == EventKind.RESUMED:  # rule 16
        return Line(event, _resumed(actor, data))
    if kind == EventKind.CUSTOMER_WROTE:
        files = _mail_files(data.get("attachments") or [])
        if data.get("verified") is False:  # rule 11: mail that only claims to be theirs
            claimed = data.get("from") or "no sender"
            headline = f"Unverified: a message claiming to be from the customer ({claimed})"
            return Line(event, headline, event.body, body_is_mail=True, files=files)
        return Line(event, "The customer wrote", event.body, body_is_mail=True, files=files)
    if kind == EventKind.REPLIED:
        anyway = " (sent despite the tone check's warnings)" if data.get("send_anyway") else ""
        files = _mail_files(data.get("attachments") or [])
        waits = " and waits for the answer" if data.get("waiting") else ""  # rule 16
        headline = f"{actor} replied to the customer{waits}{anyway}"
        return Line(event, headline, event.body, body_is_mail=True, files=files)
    if kind == EventKind.SURVEY:  # rule 12: the customer's answer, credited to the solver
        delighted = " (delighted)" if data.get("delighted") else ""
        headline = f"The customer answered the survey: {data.get('rating')} of 5{delighted}"
        return Line(event, headline, event.body)
    if kind == EventKind.GOODWILL:  # rule 13
        return Line(event, _goodwill(actor, data), event.body)
    label = EventKind(kind).label if kind in EventKind.values else kind
    who = f" by {actor}" if event.actor_id else ""
    return Line(event, f"{label}{who}", event.body)


GOODWILL_STEPS = {
    "given": "{actor} gave goodwill: {what}",
    "asked": "{actor} asked to give goodwill: {what}; it waits for approval",
    "approved": "{actor} approved goodwill: {what}",
    "declined": "{actor} declined goodwill: {what}",
}


def _goodwill(actor: str, data: dict) -> str:
    """Rule 13: a gesture given, asked for, approved or declined (the body: note or reason)."""
    what = f"{data.get('kind', 'gesture')}, {data.get('value', '')} {data.get('currency', '')}"
    step = GOODWILL_STEPS.get(data.get("step", ""), "{actor}: goodwill: {what}")
    over = " (over this month's budget)" if data.get("over_budget") else ""
    return step.format(actor=actor, what=what.strip()) + over


def _resumed(actor: str, data: dict) -> str:
    """Rule 16: a wait for the customer's answer ended; the deadline runs again."""
    who = "the customer answered" if data.get("by") == "customer" else f"{actor} acted"
    waited = _hours(data.get("waited_seconds", 0))
    left = _hours(max(0, data.get("time_left_seconds", 0)))
    return f"Waiting ended ({who}) after {waited}; the deadline runs again with {left} left"


def _hours(seconds: int) -> str:
    minutes = int(seconds) // 60
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"


def _details_changed(event: EventRow, actor: str, changed: dict, labels: dict[str, str]) -> Line:
    changes = [
        (
            labels.get(key, key.replace("_", " ").capitalize()),
            _shown(change.get("old")),
            _shown(change.get("new")),
        )
        for key, change in changed.items()
    ]
    files = [
        {"id": upload["attachment"], "name": upload["name"]}
        for change in changed.values()
        if (upload := uploaded_file(change.get("new")))
    ]
    return Line(event, f"{actor} changed the details", changes=changes, files=files)


def _second_fix(data: dict, problems: dict[int, str]) -> str:
    """The solve's root-cause decision, as the headline's closing words."""
    problem_id = data.get("problem_id")
    if data.get("one_off_reason"):
        return f" (one-off: {data['one_off_reason']})"
    if problem_id:
        return f" (problem: {problems.get(problem_id, f'#{problem_id}')})"
    return ""


def _mail_files(attachments: list) -> list[dict]:
    """The files a customer's mail brought, as its event records them."""
    return [
        {"id": item["id"], "name": item.get("name", "")}
        for item in attachments
        if isinstance(item, dict) and isinstance(item.get("id"), int)
    ]


_COLUMNS = ("kind", "at", "actor_id", "to_owner_id", "reason", "body", "data", "to_tier__name")
_NAMES = tuple(
    f"{person}__{name}"
    for person in ("actor", "from_owner", "to_owner")
    for name in ("first_name", "last_name", "username")
)


def case_events(case: Case) -> list[EventRow]:
    """The case's events, oldest first, with the names of the tier and the people they name,
    in one query. Rows rather than models: a model per event, and one for each person it
    names, cost more than the rest of its line (docs/performance.md)."""
    rows = Event.objects.filter(case=case).order_by("at", "id").values_list(*_COLUMNS, *_NAMES)
    return [_row(values) for values in rows]


def _row(values: tuple) -> EventRow:
    kind, at, actor_id, to_owner_id, reason, body, data, to_tier = values[:8]
    return EventRow(
        kind,
        at,
        actor_id,
        to_owner_id,
        reason,
        body,
        data,
        to_tier=to_tier or "",
        actor=_name(*values[8:11]),
        from_owner=_name(*values[11:14]),
        to_owner=_name(*values[14:17]),
    )


def timeline_items(lines: list[Line]) -> SafeString:
    """The timeline's <li> items. Written here rather than in a template loop: the page shows
    every event, and the template engine's cost per variable, tag and filter, times the lines
    of a long conversation, was most of the page's time (docs/performance.md). Every value is
    escaped as the template would."""
    return mark_safe("".join(_item(line) for line in lines))  # noqa: S308 - escaped in _item


def _item(line: Line) -> str:
    event, voice = line.event, line.voice
    voiced = f" voice voice-{voice}" if voice else ""
    label = (
        f'<span class="voice-label" data-testid="voice-label">{escape(line.voice_label)}</span>'
        if voice
        else ""
    )
    at = event.at
    parts = [
        f'<li class="event-{escape(event.kind)}{voiced}">{label}',
        f'<div class="what">{escape(line.headline)}</div>',
        f'<div class="muted small"><time datetime="{escape(iso(at))}">'
        f"{escape(when(at, 'seconds'))}</time> · {escape(ago(at))}</div>",
    ]
    if line.changes:
        changed = "".join(
            f"<li>{escape(label)}: {_value(old)} → {_value(new)}</li>"
            for label, old, new in line.changes
        )
        parts.append(f'<ul class="small">{changed}</ul>')
    if line.files:
        links = ", ".join(
            f'<a href="/mail/attachments/{int(item["id"])}/" download>{escape(item["name"])}</a>'
            for item in line.files
        )
        parts.append(f'<p class="small">Download: {links}</p>')
    if line.body and line.body_is_mail:
        parts.append(
            f'<details{" open" if voice else ""}><summary class="small">What was written'
            f'</summary><div class="body">{escape(line.body)}</div></details>'
        )
    elif line.body:
        parts.append(f'<div class="body">{escape(line.body)}</div>')
    parts.append("</li>")
    return "".join(parts)


def escape(value: object) -> str:
    """As the template escapes a value (Django's escape is this, behind a wrapper for lazy
    strings that costs more than the escaping, a few times a line)."""
    return _escape(str(value))


def _value(value: object) -> str:
    """A detail's old or new value as the template's `default_if_none:"(empty)"` showed it."""
    return "(empty)" if value is None else escape(value)
