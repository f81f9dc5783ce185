"""Staff pages of the mail room: the quarantine (leads and admins) and attachment downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from relaydesk.cases.errors import DomainError
from relaydesk.cases.models import Attachment, Case, id_from_ref
from relaydesk.cases.uploads import download
from relaydesk.intake.mail import quarantine as quarantine_actions
from relaydesk.intake.models import Quarantine
from relaydesk.org.permissions import is_lead, staff_or_none

PAGE_SIZE = 100


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # behind login_required: never the anonymous user


def lead_required(view):
    @login_required
    def wrapper(request: AuthenticatedHttpRequest, *args, **kwargs):
        if not is_lead(request.user):
            return render(
                request,
                "web/forbidden.html",
                {"reason": "The mail quarantine is for leads and admins."},
                status=403,
            )
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def may_download(user) -> bool:
    """Attachments hold customers' personal data: active staff and admins only."""
    if not user.is_authenticated:
        return False
    staff = staff_or_none(user)
    return user.is_superuser or (staff is not None and staff.active and user.is_active)


@lead_required
def quarantine_page(
    request: AuthenticatedHttpRequest, error: str = "", status: int = 200
) -> HttpResponse:
    entries = list(quarantine_actions.held()[:PAGE_SIZE])
    return render(
        request, "web/quarantine.html", {"entries": entries, "error": error}, status=status
    )


@require_POST
@lead_required
def quarantine_act(request: AuthenticatedHttpRequest, entry_id: int) -> HttpResponse:
    entry = get_object_or_404(Quarantine, pk=entry_id)
    action = request.POST.get("action", "")
    try:
        if action == "retry":
            result = quarantine_actions.retry(entry, acting=request.user)
            done = (
                f"Retried: {result.outcome.replace('_', ' ')}"
                + (f" ({result.case.ref})" if result.case else "")
                + (f": {result.reason}" if result.reason else "")
            )
        elif action == "attach":
            ref = request.POST.get("ref", "")
            case_id = id_from_ref(ref)
            case = Case.objects.filter(pk=case_id).first() if case_id else None
            if case is None:
                raise DomainError(f"There is no case {ref.strip() or '(none given)'}.")
            quarantine_actions.attach(entry, case, acting=request.user)
            done = f"Attached to {case.ref}."
        elif action == "discard":
            quarantine_actions.discard(entry, acting=request.user, why=request.POST.get("why", ""))
            done = "Discarded."
        else:
            raise DomainError("Choose retry, attach or discard.")
    except DomainError as refusal:
        return quarantine_page(request, error=refusal.message, status=refusal.http_status)
    messages.success(request, done)
    return redirect("mail-quarantine")


@login_required
def attachment_download(
    request: AuthenticatedHttpRequest, attachment_id: int
) -> HttpResponse | FileResponse:
    if not may_download(request.user):
        return render(
            request,
            "web/forbidden.html",
            {"reason": "Attachments are for active support staff."},
            status=403,
        )
    attachment = get_object_or_404(Attachment, pk=attachment_id)
    response = download(attachment)
    if response is None:
        raise Http404("The file is no longer kept.")
    return response
