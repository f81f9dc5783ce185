"""The status page (rule 14): the customer's view of one case, without signing in.

`/status/<token>` exchanges a live link for this browser's session (which remembers the case
and the link it came through) and redirects to the clean `/status/case/<ref>/`, so the token
never travels in a Referer. The clean page shows a case only to a session that opened one of
its links, while that link is live (not rotated, the case not closed). Everything else (a
wrong, rotated or expired token, another case's reference, a malformed one) gets the same
plain 404. Every answer says no-referrer, no-store and noindex. Opening a page changes no case
(mail scanners open every link); only its forms (reply, the survey, "I'm not happy: reopen"),
POSTs, write.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST, require_safe

from relaydesk.cases import actions
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import (
    Case,
    Event,
    EventKind,
    Status,
    SurveyAnswer,
    id_from_ref,
    ref_for,
)
from relaydesk.cases.status_links import live_link
from relaydesk.cases.uploads import limit_words, problem_with
from relaydesk.cases.words import promise_words
from relaydesk.org.customer_words import WAIT_TEXTS, marked_page_words, page_words
from relaydesk.org.dates import format_language, write_moment
from relaydesk.org.models import Company
from relaydesk.portal.no_referrer import status_form
from relaydesk.portal.status_limit import next_post_at
from relaydesk.timekeeping import now

Answer = TypeVar("Answer", bound=HttpResponseBase)  # a page, a redirect or a download

SESSION_KEY = "status_cases"  # {case id: the id of the link it was opened through}
SESSION_CASES = 20  # the most recent cases a session remembers
MAX_MESSAGE = 20_000  # as /contact
MAX_SURVEY_WORDS = actions.MAX_SURVEY_WORDS
# The survey's rating, as large radio targets: the value and the words beside it.
RATINGS = [
    (1, "Very unhappy"),
    (2, "Unhappy"),
    (3, "It was all right"),
    (4, "Happy"),
    (5, "Delighted"),
]
HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}
# What the customer sees of a case's history: their words, our replies, status changes.
PUBLIC_KINDS = [
    EventKind.OPENED,
    EventKind.CUSTOMER_WROTE,
    EventKind.REPLIED,
    EventKind.SOLVED,
    EventKind.REOPENED,
    EventKind.CLOSED,
    EventKind.GOODWILL,  # only a gesture given: one that waits or was declined is ours alone
]
# Rule 13: what we did for the customer, as they read it ("We gave you a credit of …").
GESTURE_WORDS = {
    "credit": "a credit",
    "refund": "a refund",
    "gift": "a gift",
    "upgrade": "an upgrade",
}
GIVEN_STEPS = ("given", "approved")
STATUS_LINES: dict[str, str] = {
    EventKind.OPENED: "We opened your case.",
    EventKind.SOLVED: "We solved your case.",
    EventKind.REOPENED: "Your case was reopened.",
    EventKind.CLOSED: "Your case was closed.",
}
STATUS_WORDS: dict[str, str] = {
    Status.OPEN: "We are working on it",
    Status.SOLVED: "Solved",
    Status.CLOSED: "Closed",
    Status.DISMISSED: "Closed",  # no customer problem (cases.dismissal): not told why
}


@dataclass
class Line:
    """One line of the public timeline."""

    at: datetime
    when: str  # `at` as the company's locale writes it
    who: str
    kind: str
    text: str = ""
    files: list[dict] = field(default_factory=list)  # {"id": attachment id, "name": label}


class Place(NamedTuple):
    """The company as the customer reads it: its name, time zone and how it writes dates."""

    name: str
    time_zone: str
    language: str  # relaydesk.org.dates.format_language of the company's locale

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def headed(response: Answer) -> Answer:
    for name, value in HEADERS.items():
        response[name] = value
    return response


def missing(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """The one answer for every link or page that is not this session's to see."""
    return headed(render(request, "portal/status_missing.html", status=404))


@require_safe
def exchange(request: HttpRequest, token: str) -> HttpResponse:
    """A live link's token for this session's right to see its case; then the clean URL."""
    found = live_link(token)
    if found is None:
        return missing(request)
    link_id, case_id = found
    seen = {
        key: value
        for key, value in request.session.get(SESSION_KEY, {}).items()
        if key != str(case_id)
    }
    seen[str(case_id)] = link_id
    request.session[SESSION_KEY] = dict(list(seen.items())[-SESSION_CASES:])
    return headed(redirect("portal-status-case", ref=ref_for(case_id)))


def case_in_session(request: HttpRequest, ref: str) -> Case | None:
    """The case `ref` if this session opened one of its links and that link is still live."""
    case_id = id_from_ref(ref)
    if case_id is None:
        return None
    link_id = request.session.get(SESSION_KEY, {}).get(str(case_id))
    if not isinstance(link_id, int):
        return None
    return (
        Case.objects.select_related("owner", "tier", "customer")
        .filter(pk=case_id, status_links__pk=link_id, status_links__revoked_at__isnull=True)
        .exclude(status=Status.CLOSED)
        .first()
    )


def _first_name(user) -> str:
    return (user.first_name if user is not None else "") or "our team"


def hidden(kind: str, data: dict) -> bool:
    """Customer's words the page does not show: an out-of-office, or mail that could not prove
    it is the customer's (rule 11)."""
    return kind == EventKind.CUSTOMER_WROTE and (
        bool(data.get("automatic")) or data.get("verified") is False
    )


def public_files(kind: str, data: dict) -> list[dict]:
    """The files of an event the customer sees: their own words' files and those our replies
    sent; never a note's or any other event's. The status page's downloads allow these only."""
    if kind not in (EventKind.CUSTOMER_WROTE, EventKind.REPLIED) or hidden(kind, data):
        return []
    return [
        {"id": item["id"], "name": item.get("name", "")}
        for item in data.get("attachments") or []
        if isinstance(item, dict) and isinstance(item.get("id"), int)
    ]


def _line(event: Event, place: Place) -> Line | None:
    if hidden(event.kind, event.data):
        return None
    at = event.at.astimezone(place.zone)
    when = write_moment(at, place.language)
    files = public_files(event.kind, event.data)
    if event.kind == EventKind.CUSTOMER_WROTE:
        return Line(at, when, "You", "customer", event.body, files)
    if event.kind == EventKind.REPLIED:
        return Line(at, when, _first_name(event.actor), "reply", event.body, files)
    if event.kind == EventKind.GOODWILL:
        return _gesture_line(event.data, at, when)
    return Line(at, when, "", "status", STATUS_LINES.get(event.kind, ""))


def _gesture_line(data: dict, at: datetime, when: str) -> Line | None:
    """A gesture the customer may know of: given at once, or approved; never the note (it is
    written for colleagues), never one waiting for approval or declined."""
    if data.get("step") not in GIVEN_STEPS:
        return None
    what = GESTURE_WORDS.get(data.get("kind", ""), "a gesture")
    value = f"{data.get('value', '')} {data.get('currency', '')}".strip()
    return Line(at, when, "", "goodwill", f"We gave you {what} of {value}.")


def _timeline(case: Case, place: Place) -> list[Line]:
    events = case.events.filter(kind__in=PUBLIC_KINDS).select_related("actor").order_by("at", "id")
    return [line for event in events if (line := _line(event, place)) is not None]


def _waiting_since(case: Case, place: Place) -> str:
    """When a case waiting for the customer's answer (rule 16) started to, in the company's
    time zone and locale; "" when it is not waiting."""
    if case.is_open and case.waiting_since is not None:
        return write_moment(case.waiting_since.astimezone(place.zone), place.language)
    return ""


def _status_words(case: Case, words: dict[str, str]) -> str:
    """The status in plain words, the company's own (customer_words); a case waiting for the
    customer's answer says since when."""
    if case.is_open and case.waiting_since is not None:
        return words["status_waiting"]
    company_words: dict[str, str] = {
        Status.OPEN: words["status_open"],
        Status.SOLVED: words["status_solved"],
    }
    return company_words.get(case.status) or STATUS_WORDS.get(case.status, "")


def _promise(case: Case, time_zone: str) -> tuple[str, str]:
    """The promise in the customer's words, and whether it is being (or was) kept."""
    moment = now()
    if case.waiting_since is not None and case.waiting_time_left is not None:  # rule 16
        resumed = moment + max(case.waiting_time_left, timedelta(0))
        words = promise_words(resumed, time_zone=time_zone, now=moment)
        return words, "That is if you answer now: our clock waits while we wait for you."
    words = promise_words(case.deadline, time_zone=time_zone, now=moment)
    if case.status == Status.SOLVED and case.solved_at is not None:
        kept = case.solved_at <= case.deadline
        return words, "We kept our promise." if kept else "We were late; we are sorry."
    if moment <= case.deadline:
        return words, "We are on time."
    return words, "We are late; we are sorry, and we are on it."


def _after_the_solve(case: Case) -> dict[str, bool]:
    """What a solved case's page offers: the survey of this solve while it is unanswered, and
    "I'm not happy: reopen" while the reopen window lasts. An open case offers neither: a
    reopen has withdrawn the survey of the solve before it."""
    if case.status != Status.SOLVED:
        return {"survey": False, "can_reopen": False}
    answered = SurveyAnswer.objects.filter(case=case, opening=case.opening).exists()
    return {
        "survey": not answered,
        "can_reopen": actions.reopens_when_the_customer_writes(case, now()),
    }


def _company() -> Place:
    company = Company.current()
    if company is None:
        return Place("Relaydesk", settings.TIME_ZONE, format_language(""))
    return Place(company.name, company.time_zone, format_language(company.locale))


def _held_back(
    request: HttpRequest, case: Case, typed: list[tuple[str, str]]
) -> HttpResponse | None:
    """Beyond the status page's limit (status_limit): a page saying when the customer can write
    again (429), showing back what they typed so nothing is lost; None within the limit."""
    until = next_post_at(case)
    if until is None:
        return None
    place = _company()
    local = until.astimezone(place.zone)
    moment = format_html(
        '<strong><time datetime="{}" data-testid="write-again">{}</time></strong>',
        local.isoformat(),
        write_moment(local, place.language),
    )
    words = marked_page_words(
        WAIT_TEXTS,
        ref=format_html("<strong>{}</strong>", case.ref),
        subject=case.subject,
        name=case.customer.name,
        company=place.name,
        until=moment,
    )
    context = {
        "case": case,
        "company_name": place.name,
        "words": words,
        "typed": [(label, text) for label, text in typed if text],
    }
    response = render(request, "portal/status_wait.html", context, status=429)
    response["Retry-After"] = str(max(int((until - now()).total_seconds()) + 1, 1))
    return headed(response)


def _render_page(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    errors: dict | None = None,
    body="",
    answers: dict | None = None,
) -> HttpResponse:
    place = _company()
    company_name = place.name
    promise, kept = _promise(case, place.time_zone)
    words = page_words(
        ref=case.ref,
        subject=case.subject,
        name=case.customer.name,
        company=company_name,
        promise=promise,
        since=_waiting_since(case, place),
    )
    timeline = _timeline(case, place)
    holder = ""
    if case.is_open:
        holder = f"{_first_name(case.owner).capitalize()} ({case.tier.name})"
    context = {
        "case": case,
        "company_name": company_name,
        "status_words": _status_words(case, words),
        "words": words,
        "promise": promise,
        "kept": kept,
        "holder": holder,
        "timeline": timeline,
        "gestures": [line for line in timeline if line.kind == "goodwill"],  # rule 13
        "errors": errors or {},
        "body": body,
        "sent": request.GET.get("sent") == "1",
        "done": request.GET.get("done", ""),
        "answers": answers or {},
        "ratings": RATINGS,
        **_after_the_solve(case),
        "upload_limit": limit_words(settings.MAIL_MAX_ATTACHMENT_BYTES),
    }
    return headed(render(request, "portal/status.html", context, status=status))


@require_safe
def page(request: HttpRequest, ref: str) -> HttpResponse:
    case = case_in_session(request, ref)
    if case is None:
        return missing(request)
    return _render_page(request, case)


def _reply_errors(body: str, upload) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not body and upload is None:
        errors["body"] = "Write your message."
    elif len(body) > MAX_MESSAGE:
        errors["body"] = f"Keep it under {MAX_MESSAGE} characters."
    if upload is not None and (problem := problem_with(upload)):
        errors["file"] = problem
    return errors


@status_form
@require_POST
def reply(request: HttpRequest, ref: str) -> HttpResponse:
    """The customer writes on their case: their words (and a file) join its timeline."""
    case = case_in_session(request, ref)
    if case is None:
        return missing(request)
    body = request.POST.get("body", "").strip()
    upload = request.FILES.get("file")
    typed = [("Your message", body)]
    if upload is not None:
        typed.append(("Your file (not sent: choose it again then)", upload.name or ""))
    if (held := _held_back(request, case, typed)) is not None:
        return held
    errors = _reply_errors(body, upload)
    if errors:
        return _render_page(request, case, status=422, errors=errors, body=body)
    try:
        actions.customer_wrote(
            case,
            body=body,
            sender=case.customer.email,
            via="status_page",
            files=[upload] if upload is not None else [],
        )
    except DomainError as refusal:
        errors = {"notice": f"We could not take your message just now: {refusal.message}"}
        return _render_page(request, case, status=refusal.http_status, errors=errors, body=body)
    url = reverse("portal-status-case", kwargs={"ref": case.ref})
    return headed(redirect(f"{url}?sent=1#timeline", permanent=False))


def _clean_page(case: Case, done: str, anchor: str) -> HttpResponse:
    url = reverse("portal-status-case", kwargs={"ref": case.ref})
    return headed(redirect(f"{url}?done={done}#{anchor}", permanent=False))


def _rating(value: str) -> int | None:
    return int(value) if value in {"1", "2", "3", "4", "5"} else None


@status_form
@require_POST
def survey(request: HttpRequest, ref: str) -> HttpResponse:
    """The customer answers the survey of the case's last solve (rule 12): only this submitted
    form records an answer, once per solve."""
    case = case_in_session(request, ref)
    if case is None:
        return missing(request)
    answers = {
        "rating": request.POST.get("rating", ""),
        "delighted": request.POST.get("delighted", "").strip(),
        "fix": request.POST.get("fix", "").strip(),
    }
    rating = _rating(answers["rating"])
    typed = [
        ("Your rating", f"{rating} of 5" if rating is not None else ""),
        ("What delighted you?", answers["delighted"]),
        ("What should we fix?", answers["fix"]),
    ]
    if (held := _held_back(request, case, typed)) is not None:
        return held
    opening = request.POST.get("opening", "")
    errors: dict[str, str] = {}
    if rating is None:
        errors["rating"] = "Choose a rating from 1 to 5."
    for key in ("delighted", "fix"):
        if len(answers[key]) > MAX_SURVEY_WORDS:
            errors[key] = f"Keep it under {MAX_SURVEY_WORDS} characters."
    if not opening.isdigit():
        errors["survey_notice"] = "Please answer the survey on your case's page."
    if errors or rating is None:
        return _render_page(request, case, status=422, errors=errors, answers=answers)
    try:
        actions.answer_survey(
            case,
            rating=rating,
            delighted=answers["delighted"],
            fix=answers["fix"],
            opening=int(opening),
        )
    except DomainError as refusal:
        errors = {"survey_notice": refusal.message}
        return _render_page(request, case, status=refusal.http_status, errors=errors)
    return _clean_page(case, "answered", "status")


@status_form
@require_POST
def unhappy(request: HttpRequest, ref: str) -> HttpResponse:
    """ "I'm not happy: reopen": the customer reopens a solved case, with a reason, to the
    person who solved it (rule 8), while its reopen window lasts."""
    case = case_in_session(request, ref)
    if case is None:
        return missing(request)
    why = request.POST.get("why", "").strip()
    if (held := _held_back(request, case, [("What is still not right?", why)])) is not None:
        return held
    errors: dict[str, str] = {}
    if not why:
        errors["why"] = "Tell us what is still not right."
    elif len(why) > MAX_SURVEY_WORDS:
        errors["why"] = f"Keep it under {MAX_SURVEY_WORDS} characters."
    if errors:
        return _render_page(request, case, status=422, errors=errors, answers={"why": why})
    try:
        actions.customer_reopens(case, why=why)
    except DomainError as refusal:
        errors = {"reopen_notice": refusal.message}
        return _render_page(request, case, status=refusal.http_status, errors=errors)
    return _clean_page(case, "reopened", "status")
