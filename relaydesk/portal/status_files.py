"""The files on the status page's timeline, as downloads for the session that sees the case.

Only a file of an event the customer sees (their own words, our replies: status.public_files)
is served, and only as an attachment nothing renders (relaydesk.cases.uploads.download, as
staff get theirs). Another case's file, a note's file, an id on no public event, a file no
longer kept: the status page's one plain 404.
"""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from relaydesk.cases.models import Attachment, Case, EventKind
from relaydesk.cases.uploads import download
from relaydesk.portal.status import case_in_session, headed, missing, public_files


def public_attachment_ids(case: Case) -> set[int]:
    """The attachments the case's public timeline shows."""
    events = case.events.filter(kind__in=[EventKind.CUSTOMER_WROTE, EventKind.REPLIED])
    return {
        item["id"]
        for kind, data in events.values_list("kind", "data")
        for item in public_files(kind, data or {})
    }


@require_safe
def file(request: HttpRequest, ref: str, attachment_id: int) -> HttpResponse | FileResponse:
    case = case_in_session(request, ref)
    if case is None or attachment_id not in public_attachment_ids(case):
        return missing(request)
    attachment = Attachment.objects.filter(pk=attachment_id, case=case).first()
    response = download(attachment) if attachment is not None else None
    if response is None:
        return missing(request)
    return headed(response)
