"""The web contact form (/contact): a customer picks a category, fills its form (files
included), answers its realtime questions and gets the acknowledgement, like any other
channel. No sign-in; CSRF-protected; limited per address and per IP address, so a script cannot
flood the queue (RELAYDESK_CONTACT_PER_*_PER_HOUR)."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from relaydesk.cases import actions
from relaydesk.cases.details import clean_details
from relaydesk.cases.errors import DomainError, Incomplete
from relaydesk.cases.models import Case, Channel
from relaydesk.cases.uploads import limit_words, posted_files
from relaydesk.cases.words import promise_words
from relaydesk.intake.models import ContactAttempt
from relaydesk.org import customer_words
from relaydesk.org.company import company_name, company_time_zone
from relaydesk.org.models import Category, FieldType
from relaydesk.timekeeping import now

SIGNING_SALT = "relaydesk.portal.contact"
MAX_MESSAGE = 20_000
MAX_SUBJECT = 200  # notifications quote it within 300 characters
CHOOSE_AGAIN = "Please choose this file again: we keep it only once your message is sent."


@dataclass
class Row:
    """One of the category's fields on the form, with what was typed and its error."""

    key: str
    label: str
    help_text: str
    type: str
    required: bool
    choices: list
    value: str
    error: str
    note: str = ""

    @property
    def name(self) -> str:
        return f"detail_{self.key}"

    @property
    def input_type(self) -> str:
        types: dict[str, str] = {
            FieldType.DATE: "date",
            FieldType.EMAIL: "email",
            FieldType.PHONE: "tel",
            FieldType.NUMBER: "text",
            FieldType.FILE: "file",
        }
        return types.get(self.type, "text")

    @property
    def upload_limit(self) -> str:
        return limit_words(settings.MAIL_MAX_ATTACHMENT_BYTES)


def rows_for(category: Category, values: dict, errors: dict, notes: dict) -> list[Row]:
    return [
        Row(
            key=field.key,
            label=field.label,
            help_text=field.help_text,
            type=field.type,
            required=field.required,
            choices=list(field.choices or []),
            value=values.get(field.key, ""),
            error=errors.get(field.key, ""),
            note=notes.get(field.key, ""),
        )
        for field in category.fields.all()
    ]


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class Held(NamedTuple):
    """Why a sender must wait, in the company's words (customer_words), and until when."""

    reason: str
    until: datetime


def held_back(email: str, ip: str | None) -> Held | None:
    """Whether this sender must wait (per address and per IP address, in the last hour): they
    may write again when the limit-th newest of their counted messages is an hour old."""
    since = now() - timedelta(hours=1)
    recent = ContactAttempt.objects.filter(at__gte=since).order_by("-at")
    limits = (
        (email, recent.filter(email=email), settings.CONTACT_PER_ADDRESS_PER_HOUR, "address"),
        (ip, recent.filter(ip=ip), settings.CONTACT_PER_IP_PER_HOUR, "network"),
    )
    for sender, theirs, limit, text in limits:
        if not sender:
            continue
        if limit < 1:  # a limit of 0 takes no message this way at all: ask again in an hour
            return Held(customer_words.render(f"contact_wait_{text}"), now() + timedelta(hours=1))
        latest = list(theirs.values_list("at", flat=True)[:limit])
        if len(latest) >= limit:
            reason = customer_words.render(f"contact_wait_{text}")
            return Held(reason, latest[limit - 1] + timedelta(hours=1))
    return None


def _category(slug: str) -> Category | None:
    if not slug:
        return None
    return (
        Category.objects.filter(slug=slug, active=True)
        .prefetch_related("fields", "realtime_triggers")
        .first()
    )


def customer_questions(category: Category | None) -> list[dict[str, str]]:
    """The category's realtime questions as the customer reads them: in the customer's words
    when the company file gives them (customer_question), else as staff ask them."""
    if category is None:
        return []
    return [
        {"key": trigger.key, "question": trigger.customer_question or trigger.question}
        for trigger in category.realtime_triggers.all()
    ]


def _render(
    request, *, categories, category, data, errors, status=200, notice="", triggers=(), notes=None
):
    values = {key.removeprefix("detail_"): value for key, value in data.items()}
    return render(
        request,
        "portal/contact.html",
        {
            "categories": categories,
            "category": category,
            "rows": rows_for(category, values, errors, notes or {}) if category else [],
            "questions": customer_questions(category),
            "checked": set(triggers),
            "company_name": company_name(),
            "data": data,
            "errors": errors,
            "notice": notice,
        },
        status=status,
    )


def _message_errors(*, name: str, email: str, subject: str, message: str) -> dict[str, str]:
    """A field error for each part of the sender's message that cannot be taken."""
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Tell us your name."
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter your email address, so we can answer you."
    if not subject:
        errors["subject"] = "Say in a few words what is wrong."
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = f"Keep it under {MAX_SUBJECT} characters."
    if not message:
        errors["message"] = "Tell us what happened."
    elif len(message) > MAX_MESSAGE:
        errors["message"] = f"Keep it under {MAX_MESSAGE} characters."
    return errors


def _checked_details(category: Category, data: dict, uploaded) -> tuple[dict, dict, dict]:
    """The category's details as typed (cleaned), the files chosen, and their field errors
    (under `detail_<key>`). The customer must give every required one here."""
    errors: dict[str, str] = {}
    fields = list(category.fields.all())
    details = {
        field.key: data.get(f"detail_{field.key}", "")
        for field in fields
        if field.type != FieldType.FILE  # files come from request.FILES only
    }
    try:
        cleaned = clean_details(category, details)
    except Incomplete as refusal:
        errors.update({f"detail_{key}": text for key, text in refusal.fields.items()})
        cleaned = {}
    files, file_errors = posted_files(fields, uploaded)
    errors.update({f"detail_{key}": text for key, text in file_errors.items()})
    for field in fields:
        given = field.key in cleaned or field.key in files
        if field.required and not given and f"detail_{field.key}" not in errors:
            errors[f"detail_{field.key}"] = (
                "Please attach this file." if field.type == FieldType.FILE else "This is required."
            )
    return cleaned, files, errors


def _open_counted(ip: str | None, **message) -> Case:
    """Open the case and count it against its sender in one transaction: a refused message
    does not count, and no opened case goes uncounted."""
    with transaction.atomic():
        case = actions.open_case(channel=Channel.WEB, **message)
        ContactAttempt.objects.create(email=message["customer_email"], ip=ip, at=now())
    return case


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    categories = list(Category.objects.filter(active=True).order_by("position", "name"))
    source = request.POST if request.method == "POST" else request.GET
    category = _category(source.get("category", ""))
    data = {
        key: source.get(key, "").strip()
        for key in source
        if key not in ("csrfmiddlewaretoken", "trigger")
    }
    triggers = [key for key in source.getlist("trigger") if key]
    if request.method == "GET" or category is None:
        # The form (for the chosen category, if any); a POST without a category is refused.
        refused = {"category": "Choose what your message is about."}
        errors = refused if request.method == "POST" else {}
        return _render(
            request,
            categories=categories,
            category=category,
            data=data,
            errors=errors,
            status=422 if errors else 200,
        )

    name = data.get("name", "")[:200]
    email = data.get("email", "").lower()[:320]
    subject = data.get("subject", "")
    message = data.get("message", "")
    errors = _message_errors(name=name, email=email, subject=subject, message=message)
    cleaned, files, detail_errors = _checked_details(category, data, request.FILES)
    errors.update(detail_errors)
    known_triggers = {trigger.key for trigger in category.realtime_triggers.all()}
    if set(triggers) - known_triggers:
        errors["trigger"] = "Answer only the questions shown here."
        triggers = [key for key in triggers if key in known_triggers]
    if errors:
        return _render(
            request,
            categories=categories,
            category=category,
            data=data,
            errors=_row_errors(errors),
            status=422,
            triggers=triggers,
            notes=dict.fromkeys(files, CHOOSE_AGAIN),
        )

    ip = client_ip(request)
    held = held_back(email, ip)
    notice = held.reason if held is not None else ""
    status = 429
    if held is None:
        try:
            case = _open_counted(
                ip,
                customer_name=name,
                customer_email=email,
                category=category,
                subject=subject,
                details=cleaned,
                files=files,
                realtime_triggers=triggers,
                customer_message=message,
            )
        except DomainError as refusal:
            status = refusal.http_status
            notice = f"We could not take your message just now: {refusal.message}"
        else:
            return redirect("portal-contact-sent", token=signing.dumps(case.pk, salt=SIGNING_SALT))
    response = _render(
        request,
        categories=categories,
        category=category,
        data=data,
        errors={},
        status=status,
        notice=notice,
        triggers=triggers,
    )
    return _retry_after(response, held)


def _retry_after(response: HttpResponse, held: Held | None) -> HttpResponse:
    """A refusal beyond the limits says when the sender may write again."""
    if held is not None:
        response["Retry-After"] = str(max(math.ceil((held.until - now()).total_seconds()), 1))
    return response


def _row_errors(errors: dict) -> dict:
    """Row errors are looked up by field key; the fixed fields keep their own names."""
    return {key.removeprefix("detail_"): text for key, text in errors.items()} | errors


def contact_sent(request: HttpRequest, token: str) -> HttpResponse:
    try:
        case_id = signing.loads(token, salt=SIGNING_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        raise Http404("This confirmation link is not valid.") from None
    case = Case.objects.select_related("customer").filter(pk=case_id).first()
    if case is None:
        raise Http404("This confirmation link is not valid.")
    promise = promise_words(case.deadline, time_zone=company_time_zone(), now=now())
    context = {"case": case, "promise": promise, "company_name": company_name()}
    return render(request, "portal/contact_sent.html", context)
