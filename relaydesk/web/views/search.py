"""Find anything (issue 17 part 5): the header's search box.

What is typed decides where it goes:
- a reference (`RD-1042`, `rd 1042`, `rd1042`, `#1042` or just `1042`) of a case that exists
  goes straight to that case; a number that is no case's is searched like any other words
  (it may be part of a phone number);
- otherwise the results page lists the customers the words name (a whole email address, a
  phone number's last 6 digits or more, or part of a name of 3 letters or more, 2 letters
  being a name's start) and the cases whose words match
  (`relaydesk.problems.search.find_cases`), matched words marked.

Contact details are masked (rule 15), in the customers' rows and in the cases' snippets.
"""

import re
from dataclasses import dataclass

from django.shortcuts import redirect, render
from django.utils.safestring import SafeString

from relaydesk.cases.models import Case, Customer, id_from_ref, ref_for
from relaydesk.privacy.masking import mask_email, mask_phone
from relaydesk.problems.search import Hit, find_cases, highlight_marks
from relaydesk.web.access import staff_required, text_param
from relaydesk.web.intake_lookup import customers_matching

MAX_QUERY = 200
CUSTOMERS = 20
CASES = 20
_REFERENCE = re.compile(r"^\s*(?:rd)?\s*[-#]?\s*(\d{1,15})\s*$", re.IGNORECASE)
# Anything shaped like an address: masked whole, wider than a strict address pattern.
_ADDRESS = re.compile(r"\S+@\S+")


def reference_in(query: str) -> int | None:
    """The case id a query names as a reference (`RD-1042`, `rd 1042`, `1042`), else None."""
    found = _REFERENCE.match(query)
    return id_from_ref(found.group(1)) if found else None


def matching_customers(query: str) -> list[Customer] | None:
    """Customers the query names (intake's rule, any part of a name); None for a probe."""
    return customers_matching(query, limit=CUSTOMERS, name_anywhere=True)


def _hidden_spans(text: str, phone: str) -> list[tuple[int, int, str]]:
    """(start, end, mask) of every address and of the customer's phone quoted in `text`."""
    spans = [(m.start(), m.end(), mask_email(m.group(0))) for m in _ADDRESS.finditer(text)]
    if phone:
        spans += [
            (m.start(), m.end(), mask_phone(phone)) for m in re.finditer(re.escape(phone), text)
        ]
    spans.sort()
    kept: list[tuple[int, int, str]] = []
    for span in spans:  # overlapping spans: the first one wins
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def masked_snippet(snippet: str, marks, *, phone: str = "") -> SafeString:
    """The snippet escaped with its words marked, addresses and the phone masked (rule 15); a
    mark inside something masked is dropped, so no part of it shows."""
    hidden = _hidden_spans(snippet, phone)
    if not hidden:
        return highlight_marks(snippet, marks)
    pieces, shifted, at, shift = [], [], 0, 0
    for start, end, mask in hidden:
        pieces += [snippet[at:start], mask]
        at = end
    pieces.append(snippet[at:])
    for start, end in sorted(marks):
        if any(start < h_end and end > h_start for h_start, h_end, _ in hidden):
            continue
        shift = sum(
            len(mask) - (h_end - h_start) for h_start, h_end, mask in hidden if h_end <= start
        )
        shifted.append((start + shift, end + shift))
    return highlight_marks("".join(pieces), shifted)


@dataclass(frozen=True)
class CaseResult:
    case: Case
    snippet: SafeString


def case_results(hits: list[Hit]) -> list[CaseResult]:
    """The hits' cases (one query) in the hits' order, each with its masked, marked snippet."""
    rows = Case.objects.select_related("customer", "owner").filter(pk__in=[h.case_id for h in hits])
    cases = {case.pk: case for case in rows}
    return [
        CaseResult(case, masked_snippet(hit.snippet, hit.marks, phone=case.customer.phone))
        for hit in hits
        if (case := cases.get(hit.case_id)) is not None
    ]


@staff_required
def search_page(request):
    query = " ".join(text_param(request.GET.get("q")).split())[:MAX_QUERY]
    context: dict = {"query": query, "customers": [], "results": []}
    if query:
        case_id = reference_in(query)
        if case_id is not None and Case.objects.filter(pk=case_id).exists():
            return redirect(f"/cases/{ref_for(case_id)}/")
        customers = matching_customers(query)
        context["customers"] = customers or []
        context["customers_refused"] = customers is None
        context["results"] = case_results(find_cases(query, limit=CASES))
    return render(request, "web/search.html", context)
