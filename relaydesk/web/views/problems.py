"""The problems pages (issue 17): the root causes ranked by recent cases, one problem's story,
and the forms that change a problem (relaydesk.problems.actions checks who may).

Plain POST forms that redirect back with a message (no script needed); a refused or
incomplete form is shown again with its sentence and field errors, with the action's status.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from relaydesk.cases.actions import link_case_to_problem
from relaydesk.cases.errors import DomainError
from relaydesk.org.models import Staff
from relaydesk.problems import actions
from relaydesk.problems.models import Problem, ProblemStatus
from relaydesk.problems.queries import TREND_WEEKS, problem_story, ranked_problems
from relaydesk.timekeeping import now
from relaydesk.web.access import get_case_for, staff_required
from relaydesk.web.sparkline import sparkline
from relaydesk.web.views.case import _done, _render_case

MAX_ID = 2**62  # larger ids cannot be looked up (the column holds 63 bits)


def _words(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=actions.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OpenProblemForm(forms.Form):
    title = forms.CharField(label="Title", max_length=actions.MAX_TITLE)
    description = _words("Description", required=False)


class OwnerForm(forms.Form):
    owner = forms.ChoiceField(label="Fix owner", required=False)

    def __init__(self, *args, people: list[Staff], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.user.username: person.user for person in people}
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "Nobody"),
            *[
                (name, f"{user.get_full_name() or name} ({person.tier.name})")
                for (name, user), person in zip(self.people.items(), people, strict=True)
            ],
        ]

    def chosen(self) -> User | None:
        return self.people.get(self.cleaned_data["owner"])


class FixedForm(forms.Form):
    note = _words("What was fixed", help_text="The permanent change, in a sentence or two.")


class ReopenForm(forms.Form):
    why = _words("Why reopen")


def _problem_or_404(problem_id: int) -> Problem:
    problem = None
    if 1 <= problem_id <= MAX_ID:
        found = Problem.objects.select_related("owner", "created_by").filter(pk=problem_id)
        problem = found.first()
    if problem is None:
        raise Http404("No such problem.")
    return problem


def _people() -> list[Staff]:
    """Who may own a fix: active staff, highest tier first."""
    return list(
        Staff.objects.filter(active=True, user__is_active=True)
        .select_related("user", "tier")
        .order_by("-tier__rank", "user__first_name", "user__username")
    )


@staff_required
def problems_page(request):
    status = request.GET.get("status", "")
    if request.method == "POST":
        return _open_problem(request)
    return _render_list(request, status=status, form=OpenProblemForm())


def _render_list(request, *, status: str, form: OpenProblemForm, code: int = 200, error=""):
    rows = ranked_problems(now(), status=status)
    for row in rows:
        row.svg = sparkline(row.weeks)  # type: ignore[attr-defined]  # for the template only
    context = {
        "rows": rows,
        "status": status if status in ProblemStatus.values else "",
        "statuses": ProblemStatus.choices,
        "trend_weeks": TREND_WEEKS,
        "form": form,
        "error": error,
    }
    return render(request, "web/problems.html", context, status=code)


def _open_problem(request):
    form = OpenProblemForm(request.POST)
    if not form.is_valid():
        return _render_list(request, status="", form=form, code=422)
    try:
        problem = actions.open_problem(acting=request.user, **form.cleaned_data)
    except DomainError as error:
        return _render_list(
            request, status="", form=form, code=error.http_status, error=error.message
        )
    messages.success(request, f"Problem “{problem.title}” opened.")
    return redirect(f"/problems/{problem.pk}/")


@staff_required
def problem_page(request, problem_id):
    return _render_problem(request, _problem_or_404(problem_id))


def _render_problem(request, problem: Problem, *, code: int = 200, error="", **forms_given):
    people = _people()
    owner_form = forms_given.get("owner_form") or OwnerForm(
        initial={"owner": problem.owner.username if problem.owner else ""}, people=people
    )
    context = {
        "story": problem_story(problem),
        "problem": problem,
        "may_steer": actions.may_steer(request.user, problem),
        "owner_form": owner_form,
        "fixed_form": forms_given.get("fixed_form") or FixedForm(),
        "reopen_form": forms_given.get("reopen_form") or ReopenForm(),
        "error": error,
    }
    return render(request, "web/problem.html", context, status=code)


def _act(request, problem_id: int, form_key: str, form, act, sentence: str):
    """Validate `form`, call `act(problem, cleaned)`; back to the page, or the form again."""
    problem = _problem_or_404(problem_id)
    if not form.is_valid():
        return _render_problem(request, problem, code=422, **{form_key: form})
    try:
        act(problem, form)
    except DomainError as error:
        for key, message in error.fields.items():
            if key in form.fields and key not in form.errors:
                form.add_error(key, message)
        fresh = _problem_or_404(problem_id)
        extra = {form_key: form}
        return _render_problem(request, fresh, code=error.http_status, error=error.message, **extra)
    messages.success(request, sentence)
    return redirect(f"/problems/{problem.pk}/")


@staff_required
@require_POST
def set_owner(request, problem_id):
    form = OwnerForm(request.POST, people=_people())

    def act(problem, form):
        actions.set_problem_owner(problem, acting=request.user, owner=form.chosen())

    return _act(request, problem_id, "owner_form", form, act, "Fix owner set.")


@staff_required
@require_POST
def mark_fixed(request, problem_id):
    form = FixedForm(request.POST)

    def act(problem, form):
        actions.mark_fixed(problem, acting=request.user, note=form.cleaned_data["note"])

    return _act(request, problem_id, "fixed_form", form, act, "Marked fixed.")


@staff_required
@require_POST
def reopen(request, problem_id):
    form = ReopenForm(request.POST)

    def act(problem, form):
        actions.reopen_problem(problem, acting=request.user, why=form.cleaned_data["why"])

    return _act(request, problem_id, "reopen_form", form, act, "Problem reopened.")


@staff_required
@require_POST
def link_case(request, ref):
    """The similar-case finder's one click: link this case to that problem, back to the case."""
    case = get_case_for(request.user, ref)
    try:
        problem = _problem_or_404(int(request.POST.get("problem_id", "")))
    except ValueError:
        raise Http404("No such problem.") from None
    try:
        link_case_to_problem(case, problem, acting=request.user)
    except DomainError as error:
        return _render_case(request, case, status=error.http_status, error=error.message)
    return _done(request, case, f"{case.ref} linked to “{problem.title}”.")
