"""Earlier cases like this (issue 17 part 4): the case page's section and the solve form's.

The case page asks for the section after it has loaded (htmx, `hx-trigger="load"`), so the
page itself costs no search. The cases are grouped by their problem, the problems whose
linked cases look most like this one first, then the problems of the other similar cases,
then the similar cases with no problem yet (`similar`: both from one search).

One click: on the case page, link this case to a group's problem (the problems pages' own
`POST /cases/<ref>/link-problem/`, `link_case_to_problem`); in the solve form, choose that
problem in the form's "Known problem" field (`POST /cases/<ref>/similar/pick/` answers the
form's fields again with what was typed kept and the problem chosen).
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from relaydesk.cases.models import Case, Status, id_from_ref
from relaydesk.problems.models import Problem
from relaydesk.problems.search import similar, similar_problems
from relaydesk.web.access import get_case_for, staff_of_request, staff_required
from relaydesk.web.forms import SolveForm
from relaydesk.web.widgets import plain_widgets

SIMILAR_CASES = 10
PROBLEMS = 5
CASES_PER_GROUP = 3
PROBLEM_CHOICES = 200  # as the case page's solve form: the newest problems, and the one picked
MAX_ID = 2**62
LINKABLE = (Status.OPEN, Status.SOLVED)  # as relaydesk.cases.problem_links
CASE_FIELDS = ("id", "subject", "status", "opened_at", "problem_id")


@dataclass
class SimilarGroup:
    problem: Problem | None
    cases: list[Case] = field(default_factory=list)


def _grouped_ids(case: Case, *, problems_only: bool) -> dict[int | None, list[int]]:
    """Problem id (None: no problem yet) -> its similar cases' ids, best first, in order;
    `problems_only`: the problems' groups alone (the solve form)."""
    groups: dict[int | None, list[int]] = {}
    if problems_only:
        for match in similar_problems(case, limit=PROBLEMS):
            groups[match.problem_id] = list(match.case_ids)
        return {key: ids[:CASES_PER_GROUP] for key, ids in groups.items()}
    found_cases, found_problems = similar(case, cases=SIMILAR_CASES, problems=PROBLEMS)
    for match in found_problems:
        groups[match.problem_id] = list(match.case_ids)
    unlinked: list[int] = []
    for found in found_cases:
        members = groups.setdefault(found.problem_id, []) if found.problem_id else unlinked
        if found.case_id not in members:
            members.append(found.case_id)
    if unlinked:
        groups[None] = unlinked
    return {key: ids[:CASES_PER_GROUP] for key, ids in groups.items()}


def similar_groups(case: Case, *, problems_only: bool = False) -> list[SimilarGroup]:
    """The similar cases grouped by their problem: two queries besides the search's own."""
    grouped = _grouped_ids(case, problems_only=problems_only)
    wanted = [pk for ids in grouped.values() for pk in ids]
    cases = {c.pk: c for c in Case.objects.filter(pk__in=wanted).only(*CASE_FIELDS)}
    problems = Problem.objects.in_bulk([pk for pk in grouped if pk is not None])
    groups = []
    for problem_id, ids in grouped.items():
        problem = problems.get(problem_id) if problem_id is not None else None
        if problem_id is not None and problem is None:
            continue  # deleted since the index was read
        members = [cases[pk] for pk in ids if pk in cases]
        if members:
            groups.append(SimilarGroup(problem, members))
    return groups


# What the section and its search read of the case (the search: its id, category and, when
# the index has not got it yet, its words; the section: its ref, problem and status).
SECTION_CASE_FIELDS = (
    "id",
    "category_id",
    "subject",
    "real_need",
    "resolution",
    "status",
    "problem_id",
)


def _section_case(ref: str) -> Case:
    """The case as get_case_for finds it (the same 404s), without the four joins and the
    problem the case page shows: the section reads none of them (about 2 ms CPU a request)."""
    case_id = id_from_ref(ref)
    if case_id is None:
        raise Http404("No such case.")
    case = Case.objects.only(*SECTION_CASE_FIELDS).filter(pk=case_id).first()
    if case is None:
        raise Http404(f"There is no case {ref}.")
    return case


@staff_required
def similar_section(request, ref):
    """The section (`web/_similar.html`); `?in=solve`: the solve form's problems only."""
    case = _section_case(ref)
    in_solve = request.GET.get("in") == "solve"
    context = {
        "case": case,
        "groups": similar_groups(case, problems_only=in_solve),
        "can_link": case.status in LINKABLE and staff_of_request(request.user) is not None,
    }
    template = "web/_similar.html#solve-similar" if in_solve else "web/_similar.html#similar"
    return render(request, template, context)


def solve_problems(picked: int | None = None):
    """The problems the solve form offers: the newest, and the one picked here if older."""
    recent = Problem.objects.order_by("-created_at").values("pk")[:PROBLEM_CHOICES]
    chosen = Q(pk__in=recent) | Q(pk=picked) if picked else Q(pk__in=recent)
    return Problem.objects.filter(chosen).order_by("-created_at")


def _picked_id(value: str | None) -> int:
    text = (value or "").strip()
    if not text.isdigit() or len(text) > 18 or int(text) > MAX_ID:
        raise Http404("No such problem.")
    return int(text)


@staff_required
@require_POST
def pick_problem(request, ref):
    """The solve form's fields again, as typed, with the picked problem chosen."""
    get_case_for(request.user, ref)
    problem = Problem.objects.filter(pk=_picked_id(request.POST.get("pick"))).first()
    if problem is None:
        raise Http404("No such problem.")
    typed = {
        key: request.POST.get(f"solve-{key}", "")
        for key in ("resolution", "one_off_reason", "new_problem_title")
    }
    form = SolveForm(
        prefix="solve",
        problems=solve_problems(problem.pk),
        initial={**typed, "second_fix": "problem", "problem": problem.pk},
    )
    plain_widgets(form)
    return render(request, "web/_similar.html#solve-fields", {"solve_form": form})
