"""Input shapes for the staff forms. The rules themselves live in relaydesk.cases.actions."""

from django import forms
from django.contrib.auth.models import User

from relaydesk.cases.actions import MAX_NOTE
from relaydesk.cases.models import PassReason
from relaydesk.org.models import Staff, Tier
from relaydesk.problems.models import Problem

TIER_ROUTING_HELP = "A tier picks its least-loaded person on duty who covers this category."


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note", max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )


class PassForm(forms.Form):
    to = forms.ChoiceField(label="Pass to", help_text=TIER_ROUTING_HELP)
    reason = forms.ChoiceField(
        label="Reason", choices=[("", "Choose a reason…"), *PassReason.choices]
    )
    note = forms.CharField(
        label="Note for the next owner",
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you did, what you found, what the customer expects.",
    )

    def __init__(self, *args, tiers: list[Tier], people: list[Staff], **kwargs):
        super().__init__(*args, **kwargs)
        self.tiers = {f"tier:{tier.slug}": tier for tier in tiers}
        self.people = {f"user:{person.user.username}": person.user for person in people}
        to = self.fields["to"]
        assert isinstance(to, forms.ChoiceField)
        to.choices = [
            ("", "Choose a tier or a person…"),
            ("Tiers", [(key, f"{tier.name} (tier)") for key, tier in self.tiers.items()]),
            (
                "People",
                [(f"user:{p.user.username}", _person_label(p)) for p in people],
            ),
        ]

    def target(self) -> dict:
        """The keyword the action takes: to_tier=Tier or to_user=User."""
        key = self.cleaned_data["to"]
        if key in self.tiers:
            return {"to_tier": self.tiers[key]}
        return {"to_user": self.people[key]}


def _person_label(person: Staff) -> str:
    duty = "" if person.on_duty else " (off duty)"
    return f"{person.display_name}, {person.tier.name}{duty}"


class SolveForm(forms.Form):
    SECOND_FIX = [
        ("one_off", "A one-off: say why it will not happen again"),
        ("problem", "Caused by a known problem"),
        ("new_problem", "Caused by a new problem"),
    ]
    resolution = forms.CharField(
        label="Resolution",
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The fix for this customer, in words they would recognise.",
    )
    second_fix = forms.ChoiceField(
        label="Second fix (the root cause)", choices=SECOND_FIX, widget=forms.RadioSelect
    )
    one_off_reason = forms.CharField(label="Why it is a one-off", required=False, max_length=2000)
    problem = forms.ModelChoiceField(
        label="Known problem", queryset=Problem.objects.none(), required=False
    )
    new_problem_title = forms.CharField(label="New problem title", required=False, max_length=200)

    def __init__(self, *args, problems=None, **kwargs):
        super().__init__(*args, **kwargs)
        problem = self.fields["problem"]
        if problems is not None and isinstance(problem, forms.ModelChoiceField):
            problem.queryset = problems

    def clean(self):
        data = super().clean() or {}
        needed = {
            "one_off": ("one_off_reason", "Say why this is a one-off."),
            "problem": ("problem", "Choose the problem."),
            "new_problem": ("new_problem_title", "Give the new problem a title."),
        }.get(data.get("second_fix") or "")
        if needed and not data.get(needed[0]):
            self.add_error(needed[0], needed[1])
        return data

    def second_fix_kwargs(self) -> dict:
        data = self.cleaned_data
        choice = data["second_fix"]
        if choice == "one_off":
            return {"one_off_reason": data["one_off_reason"]}
        if choice == "problem":
            return {"problem": data["problem"]}
        return {"new_problem_title": data["new_problem_title"]}


class ReplyForm(forms.Form):
    """The words of a reply; its files come as the `files` uploads (checked by the action)."""

    body = forms.CharField(
        label="Reply to the customer",
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Sent by email with the status link; the customer sees it on the status page.",
    )
    waiting = forms.BooleanField(
        label="Wait for the customer's answer",
        required=False,
        help_text="The deadline and reminders pause until the customer answers or you act again.",
    )
    send_anyway = forms.BooleanField(
        label="Send anyway",
        required=False,
        help_text="Send it as written despite the tone check's warnings; the history notes it.",
    )


class ReopenForm(forms.Form):
    why = forms.CharField(
        label="Why reopen it", max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )


class CustomerForm(forms.Form):
    """A new customer at intake (an existing one is chosen by id instead)."""

    name = forms.CharField(label="Name", max_length=200, required=False)
    email = forms.EmailField(label="Email", max_length=320, required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)

    def clean(self):
        data = super().clean() or {}
        if not (data.get("name") or data.get("email") or data.get("phone")) and not self.errors:
            self.add_error("name", "Find the customer, or give a name, email or phone.")
        return data


def staff_for_passing(exclude: User) -> list[Staff]:
    return list(
        Staff.objects.filter(active=True, user__is_active=True)
        .exclude(user=exclude)
        .select_related("user", "tier")
        .order_by("tier__rank", "user__first_name", "user__last_name", "user__username")
    )
