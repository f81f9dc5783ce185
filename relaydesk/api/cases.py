"""Cases over HTTP: open, list, read, and the actions (take, pass, note, reply, solve, reopen).

Every change goes through relaydesk.cases.actions; this module only parses, looks up and shapes.
"""

from django.contrib.auth.models import User
from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Status

from relaydesk.api import cursors
from relaydesk.api.auth import acting_user
from relaydesk.api.errors import NotFound
from relaydesk.api.schemas import (
    CaseDetail,
    CaseIn,
    CasePage,
    CaseQuery,
    CaseSummary,
    ErrorOut,
    EventOut,
    NoteIn,
    OpenedOut,
    PassIn,
    ReopenIn,
    ReplyIn,
    ReplyOut,
    SolveIn,
    StatusLinkOut,
)
from relaydesk.api.tone import ToneRefusedOut, warnings_for
from relaydesk.cases import actions
from relaydesk.cases.errors import Incomplete
from relaydesk.cases.models import Case, Event, EventKind, id_from_ref
from relaydesk.org.models import Category, Tier
from relaydesk.privacy.log import Contact, contact_for, masked_event
from relaydesk.problems.models import Problem
from relaydesk.problems.search import find_cases
from relaydesk.replies.phrases_actions import count_uses

router = Router(tags=["cases"])

CASE_RELATIONS = ("owner", "tier", "category", "customer")
# Documented refusals (the handlers in relaydesk.api.errors write them).
REFUSED = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
REFUSED_FOR_CASE = {**REFUSED, 404: ErrorOut, 409: ErrorOut}
SEARCH_HITS = 500  # q= lists at most this many cases found by their words, newest first


# Look-ups: every endpoint finds its case, person, tier and problem through these -------------


def case_for(user: User, ref: str) -> Case:
    """The case `ref` as `user` may see it (any active staff member sees every case)."""
    case_id = id_from_ref(ref)
    if case_id is None:
        raise NotFound(f"{ref[:40]!r} is not a case reference (they look like RD-1042).")
    case = Case.objects.select_related(*CASE_RELATIONS, "solved_by").filter(pk=case_id).first()
    if case is None:
        raise NotFound(f"There is no case {ref.strip().upper()}.")
    return case


def staff_user(username: str, *, field: str) -> User:
    user = User.objects.select_related("staff__tier").filter(username=username).first()
    if user is None or getattr(user, "staff", None) is None:
        raise Incomplete(f"There is no staff member {username!r}.", fields={field: "Unknown."})
    return user


def tier_named(slug: str, *, field: str) -> Tier:
    tier = Tier.objects.filter(slug=slug).first()
    if tier is None:
        raise Incomplete(f"There is no tier {slug!r}.", fields={field: "Unknown."})
    return tier


def category_named(slug: str) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise Incomplete(f"There is no category {slug!r}.", fields={"category": "Unknown."})
    return category


# Shapes -------------------------------------------------------------------------------------


def username(user: User | None) -> str | None:
    return user.username if user is not None else None


def full_name(user: User | None) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


def summary(case: Case) -> dict:
    return {
        "ref": case.ref,
        "subject": case.subject,
        "status": case.status,
        "category": case.category.slug,
        "customer": case.customer.name,
        "owner": username(case.owner),
        "owner_name": full_name(case.owner),
        "tier": case.tier.slug,
        "channel": case.channel,
        "realtime": case.realtime,
        "opened_at": case.opened_at,
        "deadline": case.deadline,
        "solved_at": case.solved_at,
        "last_activity_at": case.last_activity_at,
    }


def event_out(event: Event) -> dict:
    return {
        "kind": event.kind,
        "at": event.at,
        "actor": username(event.actor) or "system",
        "actor_name": full_name(event.actor) or "system",
        "from_owner": username(event.from_owner),
        "to_owner": username(event.to_owner),
        "from_tier": event.from_tier.slug if event.from_tier else None,
        "to_tier": event.to_tier.slug if event.to_tier else None,
        "reason": event.reason,
        "body": event.body,
        "data": event.data,
    }


VOICES: dict[str, str] = {
    EventKind.CUSTOMER_WROTE: "customer",
    EventKind.REPLIED: "reply",
    EventKind.NOTE: "note",
}


def message_out(event: Event) -> dict:
    """One line of the conversation: who spoke in which voice, and the files that came with it."""
    files = event.data.get("attachments") or []
    return {
        "at": event.at,
        "voice": VOICES[event.kind],
        "by": "customer" if event.kind == EventKind.CUSTOMER_WROTE else username(event.actor),
        "body": event.body,
        "verified": event.data.get("verified", True) is not False,
        "waiting": bool(event.data.get("waiting")),
        "files": [
            {"id": item["id"], "name": str(item.get("name", ""))}
            for item in files
            if isinstance(item, dict) and isinstance(item.get("id"), int)
        ],
    }


def detail(case: Case, contact: Contact) -> dict:
    events = list(
        case.events.select_related(
            "actor", "from_owner", "to_owner", "from_tier", "to_tier"
        ).order_by("at", "id")
    )
    if not contact.whole:  # rule 15: lines that quote the address or number quote the masks
        events = [masked_event(event, case.customer) for event in events]
    return {
        **summary(case),
        "customer_detail": {
            "name": case.customer.name,
            "email": contact.email,
            "phone": contact.phone,
            "whole": contact.whole,
        },
        "details": case.details,
        "real_need": case.real_need,
        "opening": case.opening,
        "escalated": case.escalated,
        "solved_by": username(case.solved_by),
        "resolution": case.resolution,
        "problem_id": case.problem_id,
        "one_off_reason": case.one_off_reason,
        "waiting_since": case.waiting_since,
        "events": [event_out(event) for event in events],
        "conversation": [message_out(event) for event in events if event.kind in VOICES],
    }


# Endpoints ----------------------------------------------------------------------------------


@router.post(
    "",
    response={201: OpenedOut, **REFUSED, 409: ErrorOut},
    summary="Open a case (routed to an on-duty person)",
)
def open_case(request: HttpRequest, payload: CaseIn):
    case = actions.open_case(
        customer_name=payload.customer.name,
        customer_email=payload.customer.email,
        customer_phone=payload.customer.phone,
        category=category_named(payload.category),
        subject=payload.subject,
        details=payload.details,
        channel=payload.channel,
        realtime_triggers=payload.realtime_triggers,
        acting=None,  # API intake routes like email and web intake (domain rule 1)
    )
    return Status(
        201,
        {
            "ref": case.ref,
            "owner": username(case.owner),
            "tier": case.tier.slug,
            "deadline": case.deadline,
            "realtime": case.realtime,
            # The link the acknowledgement carried, issued in the opening transaction (only its
            # hash is kept, so this is its one showing); "" when no acknowledgement was sent.
            "status_url": case.issued_status_url,
        },
    )


@router.get(
    "", response={200: CasePage, **REFUSED, 400: ErrorOut}, summary="Cases, newest first, 50 a page"
)
def list_cases(request: HttpRequest, filters: Query[CaseQuery]):
    cases = Case.objects.order_by("-id")
    if filters.owner == "me":
        cases = cases.filter(owner=acting_user(request))
    elif filters.owner:
        cases = cases.filter(owner__username=filters.owner)
    if filters.tier:
        cases = cases.filter(tier__slug=filters.tier)
    if filters.category:
        cases = cases.filter(category__slug=filters.category)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.q:
        words = Q(subject__icontains=filters.q) | Q(customer__name__icontains=filters.q)
        found = [hit.case_id for hit in find_cases(filters.q, limit=SEARCH_HITS)]
        if found:  # the words of its texts too (relaydesk.problems.search)
            words |= Q(pk__in=found)
        case_id = id_from_ref(filters.q)
        cases = cases.filter(words | Q(pk=case_id) if case_id is not None else words)
    if filters.cursor:
        cases = cases.filter(pk__lt=cursors.decode(filters.cursor))
    # The page's ids first, then its rows with their people: ordering bare ids lets SQLite
    # answer a filter from an index alone, where ordering whole rows read every match with
    # its joins to keep fifty (an owner's 12,000 open cases: 38 ms of SQL at 1M cases).
    ids = list(cases.values_list("pk", flat=True)[: filters.limit + 1])
    more = len(ids) > filters.limit
    ids = ids[: filters.limit]
    rows = Case.objects.select_related(*CASE_RELATIONS).in_bulk(ids)
    return {
        "items": [summary(rows[pk]) for pk in ids if pk in rows],
        "next_cursor": cursors.encode(ids[-1]) if more else None,
    }


@router.get(
    "/{ref}", response={200: CaseDetail, **REFUSED_FOR_CASE}, summary="A case with its events"
)
def read_case(request: HttpRequest, ref: str):
    """The customer's email and phone are whole for the case's owner, leads, executives and
    admins (each such read is in the access log), masked for everyone else (rule 15)."""
    user = acting_user(request)
    case = case_for(user, ref)
    return detail(case, contact_for(user, case, page=request.path))


@router.post(
    "/{ref}/take",
    response={200: CaseSummary, **REFUSED_FOR_CASE},
    summary="Take the case from its owner",
)
def take(request: HttpRequest, ref: str):
    user = acting_user(request)
    return summary(actions.take(case_for(user, ref), acting=user))


@router.post(
    "/{ref}/pass",
    response={200: CaseSummary, **REFUSED_FOR_CASE},
    summary="Pass the case to a person or a tier",
)
def pass_case(request: HttpRequest, ref: str, payload: PassIn):
    user = acting_user(request)
    case = case_for(user, ref)
    to_user = staff_user(payload.to_user, field="to_user") if payload.to_user else None
    to_tier = tier_named(payload.to_tier, field="to_tier") if payload.to_tier else None
    case = actions.pass_case(
        case,
        acting=user,
        reason=payload.reason,
        note=payload.note,
        to_user=to_user,
        to_tier=to_tier,
    )
    return summary(case)


@router.post(
    "/{ref}/notes", response={201: EventOut, **REFUSED_FOR_CASE}, summary="Add a note to the case"
)
def add_note(request: HttpRequest, ref: str, payload: NoteIn):
    user = acting_user(request)
    event = actions.add_note(case_for(user, ref), acting=user, body=payload.body)
    return Status(201, event_out(event))


@router.post(
    "/{ref}/replies",
    response={201: ReplyOut, **REFUSED_FOR_CASE, 409: ToneRefusedOut},
    summary="Reply to the customer (an event and a mail); 409 with warnings from the tone check",
)
def reply(request: HttpRequest, ref: str, payload: ReplyIn):
    """Rule 10: the tone check runs first; a warned reply is 409 with the warnings unless
    `send_anyway` is given."""
    user = acting_user(request)
    case = case_for(user, ref)
    event = actions.reply(
        case,
        acting=user,
        body=payload.body,
        send_anyway=payload.send_anyway,
        waiting=payload.waiting,
        tone_warnings=[w.as_dict() for w in warnings_for(request, payload.body)],
    )
    count_uses(acting=user, phrase_ids=payload.phrases, case=case)  # once sent: see count_uses
    return Status(
        201,
        {
            "id": event.pk,
            "at": event.at,
            "body": event.body,
            "send_anyway": event.data["send_anyway"],
            "waiting": event.data["waiting"],
            "message_id": event.data["message_id"],
        },
    )


@router.post(
    "/{ref}/solve",
    response={200: CaseSummary, **REFUSED_FOR_CASE},
    summary="Solve it twice: the fix and the cause",
)
def solve(request: HttpRequest, ref: str, payload: SolveIn):
    user = acting_user(request)
    case = case_for(user, ref)
    problem = None
    if payload.problem_id is not None:
        problem = Problem.objects.filter(pk=payload.problem_id).first()
        if problem is None:
            raise Incomplete(
                f"There is no problem {payload.problem_id}.", fields={"problem_id": "Unknown."}
            )
    case = actions.solve(
        case,
        acting=user,
        resolution=payload.resolution,
        one_off_reason=payload.one_off_reason,
        problem=problem,
        new_problem_title=payload.new_problem.title if payload.new_problem else "",
    )
    return summary(case)


@router.post(
    "/{ref}/reopen",
    response={200: CaseSummary, **REFUSED_FOR_CASE},
    summary="Reopen a solved or closed case",
)
def reopen(request: HttpRequest, ref: str, payload: ReopenIn):
    user = acting_user(request)
    return summary(actions.reopen(case_for(user, ref), acting=user, why=payload.why))


@router.post(
    "/{ref}/rotate-link",
    response={200: StatusLinkOut, **REFUSED_FOR_CASE},
    summary="Replace the case's status links with a new one (shown once)",
)
def rotate_link(request: HttpRequest, ref: str):
    user = acting_user(request)
    return {"status_url": actions.rotate_status_link(case_for(user, ref), acting=user)}
