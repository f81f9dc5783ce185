"""Everything kept about one customer, as JSON (rule 15): `relaydesk privacy export EMAIL`.

Their row, their cases (with the details gathered), their own words (what they wrote, survey
answers, reopen reasons), the files that came with their cases (a list: names, sizes,
hashes; not the files), their survey answers and the goodwill they were given.
"""

from decimal import Decimal
from typing import Any

from relaydesk.cases.models import Attachment, Case, Customer, Event, EventKind, SurveyAnswer
from relaydesk.goodwill.models import Gesture

WORDS = (EventKind.CUSTOMER_WROTE, EventKind.MAIL_ATTACHED, EventKind.SURVEY, EventKind.REOPENED)


def customers_with(email: str) -> list[Customer]:
    """The customers whose address is `email` (stored lower-case; usually one)."""
    return list(Customer.objects.filter(email=email.strip().lower()).order_by("id"))


def _case(case: Case) -> dict[str, Any]:
    return {
        "ref": case.ref,
        "subject": case.subject,
        "category": case.category.slug,
        "channel": case.channel,
        "status": case.status,
        "opened_at": case.opened_at,
        "solved_at": case.solved_at,
        "details": case.details,
        "real_need": case.real_need,
        "resolution": case.resolution,
    }


def _words(case_ids: list[int]) -> list[dict[str, Any]]:
    events = (
        Event.objects.filter(case_id__in=case_ids, kind__in=WORDS)
        .select_related("case")
        .order_by("at", "id")
    )
    return [
        {"case": e.case.ref, "at": e.at, "kind": e.kind, "words": e.body}
        for e in events
        if e.kind != EventKind.REOPENED or (e.data or {}).get("by") == "customer"
    ]


def export(customer: Customer) -> dict[str, Any]:
    cases = list(Case.objects.filter(customer=customer).select_related("category").order_by("id"))
    ids = [case.pk for case in cases]
    refs = {case.pk: case.ref for case in cases}
    files = Attachment.objects.filter(case_id__in=ids).order_by("created_at", "id")
    surveys = SurveyAnswer.objects.filter(case_id__in=ids).order_by("answered_at", "id")
    gestures = Gesture.objects.filter(case_id__in=ids).order_by("given_at", "id")
    return {
        "customer": {
            "id": customer.pk,
            "name": customer.name,
            "email": customer.email,
            "phone": customer.phone,
            "created_at": customer.created_at,
            # Rows merged into this one left their details here (relaydesk.cases.merging).
            "other_contacts": customer.other_contacts,
        },
        "cases": [_case(case) for case in cases],
        "words": _words(ids),
        "attachments": [
            {
                "case": refs.get(f.case_id or 0),
                "name": f.original_name,
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
                "received_at": f.created_at,
            }
            for f in files
        ],
        "surveys": [
            {
                "case": refs[s.case_id],
                "rating": s.rating,
                "what_delighted": s.delighted,
                "what_to_fix": s.fix,
                "answered_at": s.answered_at,
            }
            for s in surveys
        ],
        "goodwill": [
            {
                "case": refs[g.case_id],
                "kind": g.kind,
                "value": str(Decimal(g.value)),
                "currency": g.currency,
                "state": g.state,
                "given_at": g.given_at,
            }
            for g in gestures
        ],
    }
