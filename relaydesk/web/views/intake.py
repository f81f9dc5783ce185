"""Intake: the frontline's page for a phone call.

Find or create the customer, pick the category (its form swaps in), note what they asked for
and what they really need, answer the realtime questions, open the case, then read out the
reference and the promise.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from relaydesk.cases import actions
from relaydesk.cases.details import clean_details, missing_required
from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Channel, Customer
from relaydesk.cases.words import promise_words
from relaydesk.org.models import DEFAULT_REASSURANCE, Category, Company
from relaydesk.timekeeping import now
from relaydesk.web.access import get_case_for, staff_required, text_param
from relaydesk.web.details import NUL_MESSAGE, detail_rows, posted_details, posted_files
from relaydesk.web.forms import CustomerForm
from relaydesk.web.intake_lookup import Lookup, find_for_intake

REF_PLACEHOLDER = "[the reference, given when you open the case]"
CHOOSE_AGAIN = "Choose this file again: a file is kept only once the case opens."


def _script(ref: str, promise: str) -> str:
    company = Company.current()
    script = (company.reassurance_script if company else "") or DEFAULT_REASSURANCE
    return script.replace("{ref}", ref).replace("{promise}", promise)


def _promise(deadline) -> str:
    # The zone the middleware activated: the company's, or the fallback if its name is broken.
    return promise_words(deadline, time_zone=str(timezone.get_current_timezone()), now=now())


def _category(slug: str | None) -> Category | None:
    slug = text_param(slug)
    if not slug:
        return None
    return (
        Category.objects.filter(slug=slug, active=True)
        .prefetch_related("fields", "realtime_triggers")
        .first()
    )


def _lane_context(category: Category | None, triggers: list[str]) -> dict:
    """The realtime notice and the promise the caller will hear, for the current answers."""
    if category is None:
        return {"realtime": False}
    lane = actions.lane_if_opened_now(category, realtime_triggers=triggers)
    promise = _promise(lane.deadline)
    return {
        "realtime": lane.realtime,
        "promise": promise,
        "script": _script(REF_PLACEHOLDER, promise),
    }


def _form_context(category, *, values=None, errors=None, notes=None, triggers=()) -> dict:
    fields = list(category.fields.all()) if category else []
    return {
        "category": category,
        "detail_rows": detail_rows(fields, values or {}, errors, notes),
        "triggers": list(category.realtime_triggers.all()) if category else [],
        "checked": set(triggers),
        **_lane_context(category, list(triggers)),
    }


def _render(request, *, status=200, **context):
    base = {
        "categories": Category.objects.filter(active=True),
        "customer_form": CustomerForm(prefix="customer"),
    }
    return render(request, "web/intake.html", {**base, **context}, status=status)


@staff_required
def intake(request):
    if request.method != "POST":
        category = _category(request.GET.get("category"))
        return _render(request, **_form_context(category))
    return _open(request)


def _posted_words(post, errors: dict[str, str]) -> tuple[str, str]:
    """The subject and the real need as typed; a field error for each that cannot be kept."""
    subject = post.get("subject", "").strip()
    if not subject:
        errors["subject"] = "Write what the customer asked for."
    elif len(subject) > 300:
        errors["subject"] = "Keep it under 300 characters."
    real_need = post.get("real_need", "").strip()
    if "\x00" in subject:
        errors["subject"] = NUL_MESSAGE
        subject = subject.replace("\x00", "")
    if "\x00" in real_need:
        errors["real_need"] = NUL_MESSAGE
        real_need = real_need.replace("\x00", "")
    return subject, real_need


def _posted_customer(post, errors: dict[str, str]) -> tuple[Customer | None, CustomerForm]:
    """The customer chosen by id, or None with the new customer's form."""
    customer = None
    customer_form = CustomerForm(post, prefix="customer")
    if post.get("customer_id"):
        raw_id = post["customer_id"]
        customer = Customer.objects.filter(pk=raw_id).first() if raw_id.isdigit() else None
        if customer is None:
            errors["customer"] = "That customer no longer exists; search again."
    elif not customer_form.is_valid():
        errors["customer"] = "Find the customer, or fill in the new customer's details."
    return customer, customer_form


def _posted_details(category: Category, request) -> tuple[dict, dict, dict[str, str]]:
    """The details typed, the files chosen, and a field error for each that cannot be kept
    (the action checks them again; here every field's error shows at once)."""
    fields = list(category.fields.all())
    details = {k: v for k, v in posted_details(fields, request.POST).items() if v}
    errors: dict[str, str] = {}
    try:
        clean_details(category, details)
    except DomainError as error:
        errors = error.fields
    for key, value in list(details.items()):
        if "\x00" in value:
            errors[key] = NUL_MESSAGE
            details[key] = value.replace("\x00", "")
    files, file_errors = posted_files(fields, request.FILES)
    errors.update(file_errors)
    return details, files, errors


def _contact_details(cleaned: dict) -> dict:
    return {
        "customer_name": cleaned.get("name") or "",
        "customer_email": cleaned.get("email") or "",
        "customer_phone": cleaned.get("phone") or "",
    }


def _open(request):
    post = request.POST
    errors: dict[str, str] = {}
    category = _category(post.get("category"))
    if category is None:
        errors["category"] = "Choose the category."
    subject, real_need = _posted_words(post, errors)
    triggers = post.getlist("trigger")
    customer, customer_form = _posted_customer(post, errors)
    details: dict = {}
    files: dict = {}
    detail_errors: dict[str, str] = {}
    if category is not None:
        details, files, detail_errors = _posted_details(category, request)

    # A browser cannot refill a file input: say so beside each good file when the form returns.
    notes = dict.fromkeys(files, CHOOSE_AGAIN)
    context = {
        **_form_context(
            category, values=details, errors=detail_errors, notes=notes, triggers=triggers
        ),
        "customer": customer,
        "customer_form": customer_form,
        "errors": errors,
        "subject": subject,
        "real_need": real_need,
    }
    if errors or detail_errors or category is None:
        context["error"] = "Some answers need a look: see the fields marked below."
        return _render(request, status=422, **context)
    wanted_triggers = [t for t in triggers if t in {x.key for x in context["triggers"]}]

    # A chosen customer, or the new customer's details (found or created by the action).
    who = {"customer": customer} if customer else _contact_details(customer_form.cleaned_data)
    try:
        case = actions.open_case(
            **who,
            category=category,
            subject=subject,
            details=details,
            files=files,
            channel=Channel.PHONE,
            realtime_triggers=wanted_triggers,
            real_need=real_need,
            acting=request.user,
        )
    except DomainError as error:
        context["error"] = error.message
        return _render(request, status=error.http_status, **context)
    return redirect(f"/intake/opened/{case.ref}/")


@staff_required
def opened(request, ref):
    case = get_case_for(request.user, ref)
    promise = _promise(case.deadline)
    context = {
        "case": case,
        "promise": promise,
        "script": _script(case.ref, promise),
        "missing": missing_required(case.category, case.details),
    }
    return render(request, "web/intake_opened.html", context)


@staff_required
def customer_search(request):
    query = text_param(request.GET.get("q")).strip()[:100]
    if request.GET.get("change"):
        return render(
            request,
            "web/intake.html#customer-picker",
            {"customer": None, "customer_form": CustomerForm(prefix="customer")},
        )
    lookup = find_for_intake(query) if query else Lookup([])
    context = {"found": lookup.found, "refused": lookup.refused, "query": query}
    return render(request, "web/intake.html#customer-results", context)


@staff_required
def choose_customer(request, customer_id):
    customer = get_object_or_404(Customer, pk=customer_id)
    if customer.merged_into_id is not None:  # one person: the kept row (cases.merging)
        customer = get_object_or_404(Customer, pk=customer.merged_into_id)
    return render(request, "web/intake.html#customer-picker", {"customer": customer})


@staff_required
def category_form(request):
    category = _category(request.GET.get("category"))
    return render(request, "web/intake.html#category-form", _form_context(category))


@staff_required
def realtime_notice(request):
    category = _category(request.GET.get("category"))
    triggers = request.GET.getlist("trigger")
    return render(request, "web/intake.html#lane", _lane_context(category, triggers))
