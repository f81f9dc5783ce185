"""The case page and its inline action forms: note, reply, take, pass, solve, reopen, details.

Each action view parses its form, calls the action and answers with the page again (the
`case-body` partial for htmx). A broken rule shows the action's own sentence, with its status.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from relaydesk.cases import actions
from relaydesk.cases.details import uploaded_file
from relaydesk.cases.errors import DomainError, ToneWarned
from relaydesk.org.models import Tier
from relaydesk.privacy.log import contact_for
from relaydesk.privacy.masking import hide_in_text
from relaydesk.replies.phrases_actions import count_uses
from relaydesk.replies.tone import check
from relaydesk.replies.tone_phrases import library_suggestions
from relaydesk.web.access import allowed_actions, get_case_for, staff_required
from relaydesk.web.details import NUL_MESSAGE, detail_rows, posted_details, posted_files
from relaydesk.web.forms import (
    NoteForm,
    PassForm,
    ReopenForm,
    ReplyForm,
    SolveForm,
    staff_for_passing,
)
from relaydesk.web.goodwill import case_goodwill
from relaydesk.web.notifications import mark_case_read
from relaydesk.web.timeline import case_events, describe, problem_titles, timeline_items
from relaydesk.web.views.similar import solve_problems
from relaydesk.web.widgets import plain_widgets


def _pass_form(request, data=None) -> PassForm:
    form = PassForm(
        data,
        prefix="pass",
        tiers=list(Tier.objects.order_by("rank")),
        people=staff_for_passing(exclude=request.user),
    )
    return plain_widgets(form)


def _solve_form(data=None) -> SolveForm:
    # Fixed problems too (listed as "… (fixed)"): a case of one is a regression (issue 17).
    # The newest problems, and an older one the similar cases offered (views/similar.py).
    picked = str((data or {}).get("solve-problem", ""))
    problems = solve_problems(int(picked) if picked.isdigit() and len(picked) < 19 else None)
    return plain_widgets(SolveForm(data, prefix="solve", problems=problems))


def _render_case(request, case, *, status=200, **extra):
    allowed = allowed_actions(request.user, case)
    fields = list(case.category.fields.all())
    labels = {field.key: field.label for field in fields}
    known = set(labels)
    events = case_events(case)
    problems = problem_titles(events)
    rows = detail_rows(fields, case.details)
    files = list(case.attachments.order_by("created_at", "id"))
    kept = {attachment.pk for attachment in files}
    lines = [describe(event, labels, problems) for event in events]
    contact = contact_for(request.user, case, page=request.path)  # rule 15: logged if whole
    customer = case.customer
    for line in lines:  # link only what this case keeps (ids in event data are not enough)
        line.files = [item for item in line.files if item["id"] in kept]
        if not contact.whole:
            line.headline = hide_in_text(line.headline, email=customer.email, phone=customer.phone)
            line.body = hide_in_text(line.body, email=customer.email, phone=customer.phone)
    context = {
        "case": case,
        "contact": contact,
        "allowed": allowed,
        "rows": rows,
        "edit_rows": detail_rows(
            fields, extra.pop("posted", None) or case.details, extra.pop("detail_errors", None)
        ),
        "extra_details": {k: v for k, v in case.details.items() if k not in known},
        "missing": [row.field for row in rows if row.missing],  # rule 2, as pass_case checks
        "timeline_items": timeline_items(lines),
        "files": files,
        "note_form": plain_widgets(NoteForm(prefix="note")),
        "reply_form": plain_widgets(ReplyForm(prefix="reply")),
        "reopen_form": plain_widgets(ReopenForm(prefix="reopen")),
        **case_goodwill(request.user, case, events),  # rule 13
        **extra,
    }
    if allowed.pass_on and "pass_form" not in context:
        context["pass_form"] = _pass_form(request)
    if allowed.solve and "solve_form" not in context:
        context["solve_form"] = _solve_form()
    template = "web/case.html#case-body" if request.htmx else "web/case.html"
    return render(request, template, context, status=status)


def _done(request, case, sentence: str):
    """After a change: the fresh case (partial for htmx), or back to the page (no script)."""
    if request.htmx:
        fresh = get_case_for(request.user, case.ref)
        return _render_case(request, fresh, done=sentence)
    messages.success(request, sentence)
    return redirect(f"/cases/{case.ref}/")


def _refused(request, case, error: DomainError, form=None, form_key=""):
    extra = {"error": error.message, "open_form": form_key}
    if form is not None:
        for key, message in error.fields.items():
            if key in form.fields and key not in form.errors:
                form.add_error(key, message)
        extra[f"{form_key}_form"] = form
    return _render_case(request, case, status=error.http_status, **extra)


@staff_required
def case_page(request, ref):
    case = get_case_for(request.user, ref)
    mark_case_read(request, case)  # the bell's lines about it are now seen
    return _render_case(request, case)


@staff_required
@require_POST
def add_note(request, ref):
    case = get_case_for(request.user, ref)
    form = NoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return _render_case(request, case, status=422, note_form=form, open_form="note")
    try:
        actions.add_note(case, acting=request.user, body=form.cleaned_data["body"])
    except DomainError as error:
        return _refused(request, case, error, form, "note")
    return _done(request, case, "Note added.")


@staff_required
@require_POST
def reply(request, ref):
    """Rule 10: a reply to the customer, with the files chosen (`reply-files`). The tone
    check runs first: a warned reply comes back with the warnings and a "send anyway" box."""
    case = get_case_for(request.user, ref)
    form = ReplyForm(request.POST, prefix="reply")
    if not form.is_valid():
        return _render_case(request, case, status=422, reply_form=form, open_form="reply")
    body = form.cleaned_data["body"]
    warnings = check(body, suggest=library_suggestions(request.user))
    try:
        actions.reply(
            case,
            acting=request.user,
            body=body,
            files=request.FILES.getlist("reply-files"),
            waiting=form.cleaned_data["waiting"],
            send_anyway=form.cleaned_data["send_anyway"],
            tone_warnings=[w.as_dict() for w in warnings],
        )
    except ToneWarned as error:
        marked = [{**w.as_dict(), "words": body[w.start : w.end]} for w in warnings]
        extra = {"error": error.message, "tone_warnings": marked, "reply_form": form}
        return _render_case(request, case, status=409, open_form="reply", **extra)
    except DomainError as error:
        return _refused(request, case, error, form, "reply")
    # Counted once sent (relaydesk.replies.phrases_actions.count_uses says why).
    count_uses(acting=request.user, phrase_ids=request.POST.getlist("reply-phrases"), case=case)
    if form.cleaned_data["waiting"]:
        return _done(request, case, "Your reply is on its way; the case waits for the answer.")
    return _done(request, case, "Your reply is on its way to the customer.")


@staff_required
@require_POST
def take(request, ref):
    case = get_case_for(request.user, ref)
    from_queue = request.POST.get("from") == "queue"
    try:
        case = actions.take(case, acting=request.user)
    except DomainError as error:
        if from_queue and request.htmx:
            context = {"case": case, "error": error.message}
            return render(request, "web/queue.html#queue-row", context, status=error.http_status)
        return _refused(request, case, error)
    if from_queue and request.htmx:
        return render(request, "web/queue.html#queue-row", {"case": case, "taken": True})
    if from_queue:
        messages.success(request, f"{case.ref} is yours now.")
        return redirect("/queue/")
    return _done(request, case, f"{case.ref} is yours now.")


@staff_required
@require_POST
def pass_case(request, ref):
    case = get_case_for(request.user, ref)
    form = _pass_form(request, request.POST)
    if not form.is_valid():
        return _render_case(request, case, status=422, pass_form=form, open_form="pass")
    try:
        case = actions.pass_case(
            case,
            acting=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            **form.target(),
        )
    except DomainError as error:
        # Rule 2 names the missing details: show them on the details form, open.
        detail_errors = {k: v for k, v in error.fields.items() if k not in form.fields}
        if not detail_errors:
            return _refused(request, case, error, form, "pass")
        return _render_case(
            request,
            case,
            status=error.http_status,
            error=error.message,
            pass_form=form,
            open_form="details",
            detail_errors=detail_errors,
        )
    return _done(request, case, f"Passed to {actions.name_of(case.owner)} ({case.tier.name}).")


@staff_required
@require_POST
def solve(request, ref):
    case = get_case_for(request.user, ref)
    form = _solve_form(request.POST)
    if not form.is_valid():
        return _render_case(request, case, status=422, solve_form=form, open_form="solve")
    try:
        actions.solve(
            case,
            acting=request.user,
            resolution=form.cleaned_data["resolution"],
            **form.second_fix_kwargs(),
        )
    except DomainError as error:
        return _refused(request, case, error, form, "solve")
    return _done(request, case, f"{case.ref} is solved.")


@staff_required
@require_POST
def reopen(request, ref):
    case = get_case_for(request.user, ref)
    form = ReopenForm(request.POST, prefix="reopen")
    if not form.is_valid():
        return _render_case(request, case, status=422, reopen_form=form, open_form="reopen")
    try:
        actions.reopen(case, acting=request.user, why=form.cleaned_data["why"])
    except DomainError as error:
        return _refused(request, case, error, form, "reopen")
    return _done(request, case, f"{case.ref} is open again.")


@staff_required
@require_POST
def update_details(request, ref):
    case = get_case_for(request.user, ref)
    fields = list(case.category.fields.all())
    details = posted_details(fields, request.POST)
    files, file_errors = posted_files(fields, request.FILES)
    real_need = request.POST.get("real_need")
    # The files the case keeps stay listed when the form comes back with errors.
    kept_files = {k: v for k, v in case.details.items() if uploaded_file(v)}
    nul = {key: NUL_MESSAGE for key, value in details.items() if "\x00" in value}
    if nul or file_errors or "\x00" in (real_need or ""):
        return _render_case(
            request,
            case,
            status=422,
            error=(
                "Some text holds an invisible control character (NUL); remove it."
                if nul or "\x00" in (real_need or "")
                else "A file could not be kept: see the details below."
            ),
            open_form="details",
            detail_errors={**nul, **file_errors},
            posted={**kept_files, **{k: v.replace("\x00", "") for k, v in details.items()}},
        )
    try:
        event = actions.update_details(
            case, acting=request.user, details=details, real_need=real_need, files=files
        )
    except DomainError as error:
        return _render_case(
            request,
            case,
            status=error.http_status,
            error=error.message,
            open_form="details",
            detail_errors=error.fields,
            posted={**kept_files, **details},
        )
    return _done(request, case, "Details saved." if event else "Nothing changed.")


@staff_required
@require_POST
def rotate_link(request, ref):
    """Rule 14: a new status link for the case, shown here once (the page is not redirected,
    so the link is in no message store); every link sent before stops working."""
    case = get_case_for(request.user, ref)
    try:
        url = actions.rotate_status_link(case, acting=request.user)
    except DomainError as error:
        return _refused(request, case, error)
    fresh = get_case_for(request.user, case.ref)
    return _render_case(request, fresh, new_status_url=url, open_form="status_link")
