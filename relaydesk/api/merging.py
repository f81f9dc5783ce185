"""Dismissing and merging over HTTP: `POST /cases/{ref}/dismiss`, `POST /cases/{ref}/merge`
and `POST /customers/{id}/merge`.

Every change goes through relaydesk.cases.actions; this module only parses, looks up and
shapes. A case or customer named in the body that does not exist is bad input (422 with a
field error); one in the URL is 404; a broken rule 409, a person who may not 403.
"""

from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field, StringConstraints

from relaydesk.api.auth import acting_user
from relaydesk.api.cases import REFUSED_FOR_CASE, case_for, summary
from relaydesk.api.errors import NotFound
from relaydesk.api.schemas import CaseSummary, Input, Text
from relaydesk.cases import actions
from relaydesk.cases.errors import Incomplete
from relaydesk.cases.models import Case, Customer, DismissReason, id_from_ref

router = Router(tags=["dismiss and merge"])

Ref = Annotated[str, StringConstraints(min_length=1, max_length=40, strip_whitespace=True)]
CustomerId = Annotated[int, Field(ge=1, le=2**53)]  # 180.0 is an integer to JSON Schema too


class DismissIn(Input):
    reason: DismissReason = Field(description=f"One of: {', '.join(DismissReason.values)}.")
    note: Text = Field("", description="Why; needed unless the reason is spam or test.")


class MergeIn(Input):
    into: Ref = Field(description="The reference of the case that is kept, e.g. RD-1042.")


class CustomerMergeIn(Input):
    into: CustomerId = Field(description="The id of the customer that is kept.")


class MergedOut(Schema):
    merged: str = Field(description="The duplicate's reference; it is now closed as merged.")
    kept: CaseSummary


class CustomerMergedOut(Schema):
    id: int = Field(description="The kept customer.")
    name: str
    merged: int = Field(description="The customer merged into it.")
    cases: int = Field(description="The kept customer's cases, the moved ones included.")


def _kept_case(ref: str) -> Case:
    case_id = id_from_ref(ref)
    case = Case.objects.filter(pk=case_id).first() if case_id is not None else None
    if case is None:
        raise Incomplete(
            f"There is no case {ref[:40]!r} to merge into.", fields={"into": "Unknown."}
        )
    return case


@router.post(
    "/cases/{ref}/dismiss",
    response={200: CaseSummary, **REFUSED_FOR_CASE},
    summary="Dismiss a case that is no customer problem (spam, misdirected, a test)",
)
def dismiss(request: HttpRequest, ref: str, payload: DismissIn):
    user = acting_user(request)
    case = actions.dismiss(
        case_for(user, ref), acting=user, reason=payload.reason, note=payload.note
    )
    return summary(case)


@router.post(
    "/cases/{ref}/merge",
    response={200: MergedOut, **REFUSED_FOR_CASE},
    summary="Merge this case (a duplicate) into the case that is kept",
)
def merge_case(request: HttpRequest, ref: str, payload: MergeIn):
    user = acting_user(request)
    duplicate = case_for(user, ref)
    kept = actions.merge_cases(duplicate, into=_kept_case(payload.into), acting=user)
    return {"merged": duplicate.ref, "kept": summary(case_for(user, kept.ref))}


@router.post(
    "/customers/{customer_id}/merge",
    response={200: CustomerMergedOut, **REFUSED_FOR_CASE},
    summary="Merge this customer into another who is the same person",
)
def merge_customer(request: HttpRequest, customer_id: int, payload: CustomerMergeIn):
    user = acting_user(request)
    customer = Customer.objects.filter(pk=customer_id).first() if customer_id > 0 else None
    if customer is None:
        raise NotFound(f"There is no customer {customer_id}.")
    into = Customer.objects.filter(pk=payload.into).first()
    if into is None:
        raise Incomplete(f"There is no customer {payload.into}.", fields={"into": "Unknown."})
    kept = actions.merge_customers(customer, into=into, acting=user)
    return {"id": kept.pk, "name": kept.name, "merged": customer.pk, "cases": kept.cases.count()}
