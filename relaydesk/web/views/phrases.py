"""The phrase library's pages: the list with its search, adding, changing and deleting a
phrase, and the search in the reply box (`/phrases/pick/`, a partial for htmx).

A person sees the company-wide phrases and their own; another person's personal phrase is a
404 here, as if it did not exist. Who may change what is the rule in
relaydesk.replies.phrases_actions (own phrases: their writer; company-wide: leads and admins).
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from relaydesk.cases.errors import DomainError
from relaydesk.org.permissions import is_lead
from relaydesk.replies.models import Phrase, Principle
from relaydesk.replies.phrases import search, visible_to
from relaydesk.replies.phrases_actions import (
    PhraseFields,
    add_phrase,
    change_phrase,
    delete_phrase,
    may_change,
)
from relaydesk.replies.phrases_usage import Outcome, User, outcomes, users_of
from relaydesk.web.access import staff_required

LIST_LIMIT = 200
PICK_LIMIT = 8


class PhraseForm(forms.Form):
    title = forms.CharField(label="Title", max_length=120)
    text = forms.CharField(
        label="Phrase",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Words in [square brackets] are for the person replying to fill in.",
    )
    principle = forms.ChoiceField(
        label="The moment it is for", choices=[("", "Choose…"), *Principle.choices]
    )
    tags = forms.CharField(
        label="Tags", max_length=300, required=False, help_text="Words to find it by, with commas."
    )
    company_wide = forms.BooleanField(
        label="For the whole company",
        required=False,
        help_text="Everyone sees it; leads and admins change it. Unticked: only you see it.",
    )

    def fields_given(self) -> PhraseFields:
        data = self.cleaned_data
        return PhraseFields(
            title=data["title"], text=data["text"], principle=data["principle"], tags=data["tags"]
        )


def _form(data=None, phrase: Phrase | None = None, *, lead: bool = False) -> PhraseForm:
    initial = {}
    if phrase is not None:
        initial = {
            "title": phrase.title,
            "text": phrase.text,
            "principle": phrase.principle,
            "tags": phrase.tags,
        }
    form = PhraseForm(data, initial=initial, prefix="phrase")
    if phrase is not None or not lead:
        del form.fields["company_wide"]  # whose a phrase is does not change once written
    return form


@dataclass(frozen=True)
class PhraseRow:
    """A phrase on the list with what followed its uses and, for leads, who used it."""

    phrase: Phrase
    outcome: Outcome
    users: list[User] = field(default_factory=list)


def phrase_rows(phrases: list[Phrase], *, lead: bool) -> list[PhraseRow]:
    """Two queries at most (the outcomes; who used them, for leads), however many phrases."""
    ids = [phrase.pk for phrase in phrases if phrase.use_count]  # type: ignore[attr-defined]
    found = outcomes(ids)
    users = users_of(ids) if lead else {}
    return [
        PhraseRow(phrase, found.get(phrase.pk, Outcome()), users.get(phrase.pk, []))
        for phrase in phrases
    ]


def get_phrase_for(user, phrase_id: int) -> Phrase:
    """The phrase as `user` may see it, or 404 (another person's personal phrase too)."""
    phrase = visible_to(user).filter(pk=phrase_id).first()
    if phrase is None:
        raise Http404("There is no such phrase.")
    return phrase


def _refused(form: PhraseForm, error: DomainError) -> None:
    for key, sentence in error.fields.items():
        form.add_error(key if key in form.fields else None, sentence)
    if not error.fields:
        form.add_error(None, error.message)


@staff_required
def phrase_list(request, form: PhraseForm | None = None, status: int = 200):
    query = request.GET.get("q", "")
    phrases = search(request.user, query, limit=LIST_LIMIT)
    lead = is_lead(request.user)
    context = {
        "rows": phrase_rows(phrases, lead=lead),
        "query": query,
        "lead": lead,
        "form": form or _form(lead=lead),
        "limit": LIST_LIMIT,
    }
    template = "web/phrases.html#phrase-list" if request.htmx else "web/phrases.html"
    return render(request, template, context, status=status)


@staff_required
@require_POST
def phrase_add(request):
    form = _form(request.POST, lead=is_lead(request.user))
    if not form.is_valid():
        return phrase_list(request, form=form, status=422)
    try:
        phrase = add_phrase(
            acting=request.user,
            fields=form.fields_given(),
            company_wide=form.cleaned_data.get("company_wide", False),
        )
    except DomainError as error:
        _refused(form, error)
        return phrase_list(request, form=form, status=error.http_status)
    messages.success(request, f"“{phrase.title}” is in the library.")
    return redirect("/phrases/")


@staff_required
def phrase_edit(request, phrase_id: int):
    phrase = get_phrase_for(request.user, phrase_id)
    if not may_change(request.user, phrase):
        return render(
            request,
            "web/forbidden.html",
            {"reason": "Leads, executives and admins change the company's phrases."},
            status=403,
        )
    form = _form(request.POST if request.method == "POST" else None, phrase)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            change_phrase(phrase, acting=request.user, fields=form.fields_given())
        except DomainError as error:
            _refused(form, error)
            status = error.http_status
        else:
            messages.success(request, f"“{phrase.title}” is saved.")
            return redirect("/phrases/")
    elif request.method == "POST":
        status = 422
    return render(request, "web/phrase_edit.html", {"phrase": phrase, "form": form}, status=status)


@staff_required
@require_POST
def phrase_delete(request, phrase_id: int):
    phrase = get_phrase_for(request.user, phrase_id)
    try:
        delete_phrase(phrase, acting=request.user)
    except DomainError as error:
        return render(request, "web/forbidden.html", {"reason": error.message}, status=403)
    messages.success(request, f"“{phrase.title}” is deleted.")
    return redirect("/phrases/")


@staff_required
def phrase_pick(request):
    """The reply box's search as you type: the best few phrases for the words typed."""
    query = request.GET.get("phrase-q", "")
    phrases = search(request.user, query, limit=PICK_LIMIT)
    context = {"phrases": phrases, "query": query}
    return render(request, "web/_phrase_picker.html#phrase-results", context)
