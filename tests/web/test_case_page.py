"""The case page: facts, details, timeline, and only the actions the rules allow."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from relaydesk.cases import actions
from relaydesk.cases.models import Attachment, Case, Event, EventKind, Status
from relaydesk.problems.models import Problem
from relaydesk.timekeeping import now
from tests import factories
from tests.web.conftest import HTMX


def _case(cast, **kwargs):
    return factories.make_case(category=cast.billing, acting=cast.fran, **kwargs)


def _events(case):
    return list(Event.objects.filter(case=case).values_list("kind", flat=True))


def test_the_case_page_shows_customer_details_status_owner_tier_and_countdown(signed_in, cast):
    customer = factories.make_customer(name="Dana Ruiz", email="dana@example.com", phone="+31 6 1")
    moment = now()
    with time_machine.travel(moment, tick=False):
        case = _case(cast, customer=customer, details={"invoice": "INV-77", "amount": "12.5"})
    with time_machine.travel(moment + timedelta(hours=5), tick=False):
        html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()
    for text in ("Dana Ruiz", "dana@example.com", "+31 6 1", "INV-77", "12.5", "Billing"):
        assert text in html
    assert 'data-testid="case-status">Open<' in html
    assert 'data-testid="case-owner">Fran Okafor<' in html
    assert 'data-testid="case-tier">Frontline<' in html
    assert "15 h left" in html


def test_an_unknown_reference_is_a_404(signed_in, cast):
    client = signed_in(cast.fran)
    assert client.get("/cases/RD-99999/").status_code == 404
    assert client.get("/cases/nonsense/").status_code == 404


def test_missing_required_details_are_flagged(signed_in, cast):
    case = _case(cast, details={})
    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()
    assert 'data-testid="missing-details"' in html
    assert "Missing before it can be passed up: Invoice number" in html
    assert "missing (required)" in html


def test_the_timeline_shows_every_event_with_who_and_when(signed_in, cast):
    moment = now()
    with time_machine.travel(moment, tick=False):
        case = _case(cast)
    with time_machine.travel(moment + timedelta(minutes=30), tick=False):
        actions.add_note(case, acting=cast.fran, body="Called the bank")
        actions.pass_case(
            case, acting=cast.fran, reason="needs_expertise", note="Over to you", to_user=cast.sam
        )
    with time_machine.travel(moment + timedelta(hours=3), tick=False):
        html = signed_in(cast.sam).get(f"/cases/{case.ref}/").content.decode()
    assert "Opened by Fran Okafor (phone); owner Fran Okafor (Frontline)" in html
    assert "Acknowledgement sent to carla@example.com" in html
    assert "Fran Okafor added a note" in html and "Called the bank" in html
    assert "Fran Okafor passed it up to Sam Special (Specialist): Needs expertise" in html
    assert "2 h 30 min ago" in html
    local = case.opened_at.astimezone(cast_zone(cast))
    assert local.strftime("%H:%M:%S") in html  # the exact time, in the company's zone
    assert html.count('<li class="event-') == len(_events(case))


def cast_zone(cast):
    from zoneinfo import ZoneInfo

    return ZoneInfo(cast.company.time_zone)


def test_the_owner_sees_pass_solve_and_note_but_not_take(signed_in, cast):
    case = _case(cast)
    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()
    assert f'action="/cases/{case.ref}/pass/"' in html
    assert f'action="/cases/{case.ref}/solve/"' in html
    assert f'action="/cases/{case.ref}/note/"' in html
    assert f'action="/cases/{case.ref}/take/"' not in html
    assert f'action="/cases/{case.ref}/reopen/"' not in html


def test_someone_at_a_higher_tier_sees_take_but_not_pass_or_solve(signed_in, cast):
    case = _case(cast)
    html = signed_in(cast.eve).get(f"/cases/{case.ref}/").content.decode()
    assert f'action="/cases/{case.ref}/take/"' in html
    assert f'action="/cases/{case.ref}/pass/"' not in html
    assert f'action="/cases/{case.ref}/solve/"' not in html


def test_someone_below_the_cases_tier_cannot_take_it(signed_in, cast):
    case = _case(cast)
    actions.pass_case(case, acting=cast.fran, reason="needs_expertise", note="n", to_user=cast.sam)
    html = signed_in(cast.fiona).get(f"/cases/{case.ref}/").content.decode()
    assert f'action="/cases/{case.ref}/take/"' not in html
    assert f'action="/cases/{case.ref}/note/"' in html


def test_a_solved_case_offers_reopen_only(signed_in, cast):
    case = _case(cast)
    actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")
    html = signed_in(cast.sam).get(f"/cases/{case.ref}/").content.decode()
    assert f'action="/cases/{case.ref}/reopen/"' in html
    for action in ("take", "pass", "solve", "details"):
        assert f'action="/cases/{case.ref}/{action}/"' not in html


def test_a_forged_solve_by_someone_else_gets_the_domain_error_and_changes_nothing(signed_in, cast):
    case = _case(cast)
    before = _events(case)
    response = signed_in(cast.eve).post(
        f"/cases/{case.ref}/solve/",
        {"solve-resolution": "Done", "solve-second_fix": "one_off", "solve-one_off_reason": "x"},
    )
    assert response.status_code == 409
    assert f"Only the owner can solve {case.ref}; it is owned by Fran Okafor." in (
        response.content.decode()
    )
    assert Case.objects.get(pk=case.pk).status == Status.OPEN
    assert _events(case) == before


def test_a_forged_pass_by_someone_else_gets_the_domain_error(signed_in, cast):
    case = _case(cast)
    response = signed_in(cast.fiona).post(
        f"/cases/{case.ref}/pass/",
        {"pass-to": "user:sam", "pass-reason": "needs_expertise", "pass-note": "mine now?"},
    )
    assert response.status_code == 409
    assert "Only the owner can pass" in response.content.decode()
    assert Case.objects.get(pk=case.pk).owner == cast.fran


def test_a_forged_take_from_below_gets_the_domain_error(signed_in, cast):
    case = _case(cast)
    actions.pass_case(case, acting=cast.fran, reason="needs_expertise", note="n", to_user=cast.sam)
    response = signed_in(cast.fiona).post(f"/cases/{case.ref}/take/")
    assert response.status_code == 409
    assert "cannot take it from above" in response.content.decode()
    assert Case.objects.get(pk=case.pk).owner == cast.sam


def test_a_forged_reopen_of_an_open_case_gets_the_domain_error(signed_in, cast):
    case = _case(cast)
    response = signed_in(cast.sam).post(f"/cases/{case.ref}/reopen/", {"reopen-why": "again"})
    assert response.status_code == 409
    assert f"{case.ref} is already open." in response.content.decode()


def test_pass_needs_a_reason_a_note_and_a_receiver(signed_in, cast):
    case = _case(cast)
    response = signed_in(cast.fran).post(f"/cases/{case.ref}/pass/", {})
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count('class="field-error"') >= 3
    assert 'aria-invalid="true"' in html
    assert _events(case).count(EventKind.PASSED) == 0


def test_passing_up_with_a_missing_required_field_is_refused_and_flags_it(signed_in, cast):
    case = _case(cast, details={})
    response = signed_in(cast.fran).post(
        f"/cases/{case.ref}/pass/",
        {"pass-to": "tier:specialist", "pass-reason": "needs_expertise", "pass-note": "Help"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f"Complete the required details before passing {case.ref} up: Invoice number." in html
    assert "Required before passing up." in html
    assert Case.objects.get(pk=case.pk).owner == cast.fran


def test_pass_to_a_tier_with_htmx_returns_the_case_partial(signed_in, cast):
    case = _case(cast)
    response = signed_in(cast.fran).post(
        f"/cases/{case.ref}/pass/",
        {"pass-to": "tier:specialist", "pass-reason": "needs_expertise", "pass-note": "Help"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<div id="case-body">')
    assert "<html" not in html
    assert "Passed to Sam Special (Specialist)." in html
    assert f'action="/cases/{case.ref}/pass/"' not in html  # no longer fran's to pass
    case.refresh_from_db()
    assert case.owner == cast.sam
    passed = case.events.get(kind=EventKind.PASSED)
    assert passed.reason == "needs_expertise" and passed.body == "Help"


def test_pass_to_a_person_without_script_redirects_to_the_case(signed_in, cast):
    case = _case(cast)
    client = signed_in(cast.fran)
    response = client.post(
        f"/cases/{case.ref}/pass/",
        {"pass-to": "user:eve", "pass-reason": "needs_authority", "pass-note": "Refund > 100"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.ref}/"
    assert "Passed to Eve Expert (Expert)." in client.get(response["Location"]).content.decode()
    assert Case.objects.get(pk=case.pk).owner == cast.eve


def test_solve_with_a_one_off_reason(signed_in, cast):
    case = _case(cast)
    response = signed_in(cast.fran).post(
        f"/cases/{case.ref}/solve/",
        {
            "solve-resolution": "Refunded the double charge",
            "solve-second_fix": "one_off",
            "solve-one_off_reason": "A card terminal glitch, since replaced",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert f"{case.ref} is solved." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.SOLVED
    assert case.one_off_reason == "A card terminal glitch, since replaced"


def test_solve_by_opening_a_new_problem(signed_in, cast):
    case = _case(cast)
    signed_in(cast.fran).post(
        f"/cases/{case.ref}/solve/",
        {
            "solve-resolution": "Refunded",
            "solve-second_fix": "new_problem",
            "solve-new_problem_title": "Terminals double-charge on retry",
        },
    )
    case.refresh_from_db()
    assert case.problem.title == "Terminals double-charge on retry"
    html = signed_in(cast.sam).get(f"/cases/{case.ref}/").content.decode()
    assert "solved it (problem: Terminals double-charge on retry)" in html


def test_solve_by_linking_a_known_problem(signed_in, cast):
    problem = Problem.objects.create(title="Retry double charge", created_at=now())
    case = _case(cast)
    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()
    assert "Retry double charge" in html
    signed_in(cast.fran).post(
        f"/cases/{case.ref}/solve/",
        {
            "solve-resolution": "Refunded",
            "solve-second_fix": "problem",
            "solve-problem": problem.pk,
        },
    )
    case.refresh_from_db()
    assert case.problem == problem


def test_solve_without_the_second_fix_shows_field_errors(signed_in, cast):
    case = _case(cast)
    response = signed_in(cast.fran).post(
        f"/cases/{case.ref}/solve/",
        {"solve-resolution": "", "solve-second_fix": "one_off", "solve-one_off_reason": ""},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html
    assert "Say why this is a one-off." in html
    assert Case.objects.get(pk=case.pk).status == Status.OPEN


def test_reopen_a_solved_case_with_a_reason(signed_in, cast):
    case = _case(cast)
    actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")
    response = signed_in(cast.sam).post(
        f"/cases/{case.ref}/reopen/", {"reopen-why": "Customer says the refund never came"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.OPEN
    assert case.owner == cast.fran  # back to the person who solved it


def test_a_reopened_case_shows_its_earlier_resolution_as_history_not_as_current(signed_in, cast):
    case = _case(cast)
    actions.solve(case, acting=cast.fran, resolution="Refunded the fare", one_off_reason="Typo")
    solved = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()
    actions.reopen(Case.objects.get(pk=case.pk), acting=cast.sam, why="The refund never came")

    reopened = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()

    assert '<dd data-testid="resolution">Refunded the fare</dd>' in solved
    assert 'data-testid="resolution"' not in reopened
    assert "One-off because" not in reopened
    assert 'data-testid="earlier-resolution">Refunded the fare' in reopened
    assert "before it was reopened" in reopened


def test_reopen_needs_a_reason(signed_in, cast):
    case = _case(cast)
    actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Typo")
    response = signed_in(cast.sam).post(f"/cases/{case.ref}/reopen/", {"reopen-why": " "})
    assert response.status_code == 422
    assert Case.objects.get(pk=case.pk).status == Status.SOLVED


def test_anyone_on_staff_can_add_a_note(signed_in, cast):
    case = _case(cast)
    response = signed_in(cast.fiona).post(
        f"/cases/{case.ref}/note/", {"note-body": "Customer called again"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Customer called again" in response.content.decode()
    assert case.events.filter(kind=EventKind.NOTE, actor=cast.fiona).exists()


def test_an_empty_note_is_a_field_error(signed_in, cast):
    case = _case(cast)
    response = signed_in(cast.fran).post(f"/cases/{case.ref}/note/", {"note-body": ""})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_completing_the_details_records_old_and_new_values(signed_in, cast):
    case = _case(cast, details={})
    response = signed_in(cast.fran).post(
        f"/cases/{case.ref}/details/",
        {"detail_invoice": "INV-9", "detail_amount": "", "real_need": "Money back by Friday"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Details saved." in html
    assert 'data-testid="missing-details"' not in html
    assert "Invoice number: (empty) → INV-9" in html
    case.refresh_from_db()
    assert case.details == {"invoice": "INV-9"}
    assert case.real_need == "Money back by Friday"
    changed = case.events.get(kind=EventKind.FIELD_CHANGED)
    assert changed.data["changes"]["invoice"] == {"old": None, "new": "INV-9"}


def test_a_bad_detail_value_is_a_field_error_and_keeps_what_was_typed(signed_in, cast):
    case = _case(cast)
    response = signed_in(cast.fran).post(
        f"/cases/{case.ref}/details/", {"detail_invoice": "INV-1", "detail_amount": "lots"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a number." in html
    assert 'value="lots"' in html
    assert "amount" not in Case.objects.get(pk=case.pk).details


@pytest.mark.parametrize("htmx", [False, True])
def test_a_closed_cases_details_cannot_be_changed_by_a_forged_post(
    signed_in, cast, damage, settings, htmx
):
    case = factories.make_case(category=damage, acting=cast.fran, details={"order": "ORD-1"})
    actions.solve(case, acting=cast.fran, resolution="Replaced", one_off_reason="Dropped")
    actions.close(case, acting=cast.fran)
    before = (_events(case), Case.objects.get(pk=case.pk).details)
    photo = SimpleUploadedFile("vase.png", b"png bytes", content_type="image/png")

    response = signed_in(cast.fran).post(
        f"/cases/{case.ref}/details/",
        {"detail_order": "ORD-2", "real_need": "Something else", "detail_photo": photo},
        headers=HTMX if htmx else {},
    )

    assert response.status_code == 409
    assert f"{case.ref} is closed, so its details can no longer change; reopen it first." in (
        response.content.decode()
    )
    assert (_events(case), Case.objects.get(pk=case.pk).details) == before
    assert Case.objects.get(pk=case.pk).real_need == ""
    assert not Attachment.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    assert not folder.exists() or not any(folder.iterdir())


def test_every_action_form_carries_a_csrf_token(signed_in, cast):
    case = _case(cast)
    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()
    # every POST form; the header's search is a GET form (a token in its URL would leak)
    assert html.count('<form method="post"') == html.count('name="csrfmiddlewaretoken"')
    assert html.count("<form") == html.count('<form method="post"') + 1


def test_a_post_without_csrf_is_refused(cast):
    from django.test import Client

    case = _case(cast)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.fran)
    response = client.post(f"/cases/{case.ref}/note/", {"note-body": "sneaky"})
    assert response.status_code == 403
    assert not case.events.filter(kind=EventKind.NOTE).exists()


def test_the_case_page_has_a_fixed_query_count(signed_in, cast, django_assert_max_num_queries):
    case = _case(cast)
    for i in range(40):
        actions.add_note(case, acting=cast.fran if i % 2 else cast.sam, body=f"note {i}")
    client = signed_in(cast.fran)
    with django_assert_max_num_queries(14):
        html = client.get(f"/cases/{case.ref}/").content.decode()
    assert html.count("added a note") == 40


# The owner's case page, the bell already read: the middleware's company, the session, the
# user, the staff row, the case, the header, the details' fields, the events (the names of
# the tier and people they name joined), the files, the pass form's tiers and people, the
# solve form's problems, the goodwill form's budget left this month (rule 13: the owner's;
# the gestures are read only when the events name one), and the access log's row (rule 15:
# the owner sees the customer's details whole; relaydesk.privacy.log). The same however long
# the conversation: none of them is per message.
CASE_PAGE_QUERIES = 14


def _page_queries(client, case) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(f"/cases/{case.ref}/")  # reads what the bell says about the case
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/cases/{case.ref}/").content.decode()
    return len(queries), html


def test_a_long_conversation_costs_the_case_page_no_query_more(signed_in, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = _case(cast)
    client = signed_in(cast.fran)
    short, _ = _page_queries(client, case)

    staff = [cast.fran, cast.sam, cast.eve, cast.fiona, cast.mia]
    for i in range(20):  # every kind of line the conversation has, by five people
        actions.customer_wrote(case, body=f"customer {i}", via="email")
        photo = SimpleUploadedFile(f"p{i}.jpg", b"jpeg", "image/jpeg")
        actions.reply(case, acting=cast.fran, body=f"reply {i}", files=[photo])
        actions.add_note(case, acting=staff[i % len(staff)], body=f"note {i}")
        actions.update_details(case, acting=cast.fran, details={"amount": str(i)})
    long, html = _page_queries(client, case)

    assert (short, long) == (CASE_PAGE_QUERIES, CASE_PAGE_QUERIES)
    assert html.count('<li class="event-') == case.events.count()
    assert html.count("p19.jpg") == 2  # the reply's line and the case's files
    assert "Fiona" in html and "Mia Manager added a note" in html


def test_the_timeline_shows_what_was_written_as_text(signed_in, cast):
    case = _case(cast, details={})
    actions.add_note(case, acting=cast.fran, body="<script>alert('note')</script>")
    actions.customer_wrote(case, body="<img src=x onerror=alert(1)>", via="email")
    actions.update_details(case, acting=cast.fran, details={"invoice": "<b>INV-1</b>"})

    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()

    assert "<script>alert" not in html and "<img src=x" not in html and "<b>INV" not in html
    assert "&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Invoice number: (empty) → &lt;b&gt;INV-1&lt;/b&gt;" in html


def test_a_nul_character_in_the_details_is_a_field_error_not_a_crash(signed_in, cast):
    case = _case(cast)
    response = signed_in(cast.fran).post(
        f"/cases/{case.ref}/details/", {"detail_invoice": "INV\x00-2", "real_need": ""}
    )
    assert response.status_code == 422
    assert "invisible control character" in response.content.decode()
    assert Case.objects.get(pk=case.pk).details["invoice"] == "INV-1"


def test_a_nul_character_in_a_note_is_a_field_error(signed_in, cast):
    case = _case(cast)
    response = signed_in(cast.fran).post(f"/cases/{case.ref}/note/", {"note-body": "a\x00b"})
    assert response.status_code == 422
    assert not case.events.filter(kind=EventKind.NOTE).exists()


def test_the_plain_widgets_write_what_djangos_widget_templates_write(db):
    """The case page's forms are written by the Plain widgets (views/similar.py says why):
    option for option, attribute for attribute, the same HTML as Django's own templates."""
    from django import forms

    from relaydesk.web.widgets import PLAIN, plain_widgets

    class All(forms.Form):
        grouped = forms.ChoiceField(
            choices=[
                ("", "Choose…"),
                ("Tiers & <b>more</b>", [("tier:a", "A & B"), ("tier:b", '"quoted" <i>')]),
                ("People", [("user:x", "X, Frontline (off duty)")]),
                ("flat", "Flat <one>"),
            ],
            help_text="help",
        )
        optional = forms.ChoiceField(choices=[(1, "one"), (2, "two")], required=False)
        flagged = forms.ChoiceField(
            choices=[("a", "a")], widget=forms.Select(attrs={"data-x": "1", "disabled": True})
        )
        body = forms.CharField(max_length=10, widget=forms.Textarea(attrs={"rows": 3}))
        line = forms.CharField(max_length=5, required=False, help_text="a line")

    typed = {"grouped": "tier:b", "optional": "2", "flagged": "a", "body": '<b>&\n"x"</b>'}
    for data in (None, typed, {"grouped": "?", "line": "too <long> & 'quoted'"}):
        django_form, plain_form = All(data, prefix="p"), plain_widgets(All(data, prefix="p"))
        assert {type(f.widget) for f in plain_form.fields.values()} <= set(PLAIN.values())
        if data:
            assert not django_form.is_valid() and not plain_form.is_valid()
        for name in All.base_fields:
            assert str(plain_form[name]) == str(django_form[name])
