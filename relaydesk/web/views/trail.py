"""The trail's pages (DESIGN rule 9, issue 16): the month, the buck, the delighted, one
person's month, the career path and the executive's scorecard.

Who sees what: the month, buck and delighted pages are for leads, executives and admins; a
person's month and career for the person, their leads up the line, executives and admins;
the scorecard for executives and admins. Each check is a helper here, used by every view.
"""

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from relaydesk.insights import buck, career, feedback, kept, person_month, scorecard
from relaydesk.insights.months import BadMonth, Month, month_of, parse_month
from relaydesk.insights.spreadsheet import write_csv
from relaydesk.org.company import company_time_zone
from relaydesk.org.models import Staff
from relaydesk.org.permissions import is_executive, is_lead, may_see_record
from relaydesk.timekeeping import now
from relaydesk.web import charts
from relaydesk.web.access import lookup_or_404, staff_required

SPELLS_A_PAGE = 100  # a busy person holds a thousand cases a month

SORTS = {
    "name": lambda p: (p["name"].lower(), p["username"]),
    "solved": lambda p: -p["solved"],
    "touched": lambda p: -p["touched"],
    "passed": lambda p: -p["passed"]["total"],
    "taken": lambda p: -p["taken"],
    "bare": lambda p: -p["bare_passes"],
    "rate": lambda p: (p["pass_rate"] is None, -(p["pass_rate"] or 0)),
    "missed": lambda p: -p["deadlines_missed"],
    "delighted": lambda p: -len(p["delighted"]),
}


def _forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "web/not_a_lead.html", {"reason": reason}, status=403)


def _month(label: str) -> tuple[Month, bool]:
    """The month named in the path (404 if not a month or not begun) and whether it is over."""
    zone = company_time_zone()
    try:
        month = parse_month(label, zone)
    except BadMonth:
        raise Http404("Write the month as YYYY-MM.") from None
    current = month_of(now(), zone)
    if month.start > current.start:
        raise Http404(f"{month.label} has not begun yet, so it has no trail.")
    return month, month != current


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required let only a signed-in person through
    return user


def _nav(request: HttpRequest, month: Month) -> dict[str, Any]:
    """What the month picker and the trail's links need."""
    user = _viewer(request)
    return {**_next_to(month), "executive": user.is_superuser or is_executive(user)}


def _next_to(month: Month) -> dict[str, Any]:
    previous = month_of(month.start_utc - timedelta(seconds=1), month.time_zone)
    following = month_of(month.end_utc, month.time_zone)
    current = month_of(now(), month.time_zone)
    return {
        "month": month,
        "previous": previous,
        "following": following if following.start <= current.start else None,
    }


def _staff_or_404(username: str) -> Staff:
    staff = (
        Staff.objects.select_related("user", "tier", "lead__user", "lead__lead__lead")
        .filter(user__username=lookup_or_404(username))
        .first()
    )
    if staff is None:
        raise Http404("Nobody by that name.")
    return staff


@staff_required
def trail_start(request: HttpRequest) -> HttpResponse:
    """/trail/ (or the month picker's ?month=YYYY-MM) to that month's page."""
    zone = company_time_zone()
    wanted = request.GET.get("month", "")
    try:
        month = parse_month(wanted, zone) if wanted else month_of(now(), zone)
    except BadMonth:
        month = month_of(now(), zone)
    return redirect("trail-month", month=month.label)


def _charts(figures: kept.MonthFigures) -> dict[str, str]:
    """Drawn once per computation and kept with a closed month's figures."""
    return {
        "pyramid": charts.pyramid(figures.report["tiers"]),
        "weekly": charts.weekly(figures.weeks),
    }


@staff_required
def month_page(request: HttpRequest, month: str) -> HttpResponse:
    if not is_lead(_viewer(request)):
        return _forbidden(request, "The trail is for leads, executives and admins.")
    wanted, closed = _month(month)
    figures = kept.month_figures(wanted, closed=closed, draw=_charts)
    report = figures.report
    sort = request.GET.get("sort", "")
    people = list(report["people"])
    if sort in SORTS:
        people.sort(key=SORTS[sort])
    context = {
        **_nav(request, wanted),
        "report": report,
        "people": people,
        "sort": sort if sort in SORTS else "",
        "sorts": [(key, label) for key, label in SORT_LABELS if key in SORTS],
        "pyramid": figures.drawings["pyramid"],
        "weekly": figures.drawings["weekly"],
        "weeks": figures.weeks,
        "kept": figures.kept,
        "closed": closed,
    }
    return render(request, "web/trail_month.html", context)


SORT_LABELS = [
    ("name", "Name"),
    ("touched", "Touched"),
    ("solved", "Solved"),
    ("passed", "Passed"),
    ("taken", "Taken"),
    ("bare", "Bare passes"),
    ("rate", "Pass rate"),
    ("missed", "Deadlines missed"),
    ("delighted", "Delighted"),
]


@staff_required
def month_csv(request: HttpRequest, month: str) -> HttpResponse:
    if not is_lead(_viewer(request)):
        return _forbidden(request, "The trail is for leads, executives and admins.")
    wanted, closed = _month(month)
    figures = kept.month_figures(wanted, closed=closed)
    response = HttpResponse(write_csv(figures.report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="trail-{wanted.label}.csv"'
    return response


@staff_required
def buck_page(request: HttpRequest, month: str) -> HttpResponse:
    if not is_lead(_viewer(request)):
        return _forbidden(request, "The buck list is for leads, executives and admins.")
    wanted, closed = _month(month)
    report = kept.month_figures(wanted, closed=closed).report
    context = {
        **_nav(request, wanted),
        "flagged": buck.buck_list(wanted, report),
        "margin_points": round(buck.MARGIN * 100),
        "spells_at_least": buck.SPELLS_AT_LEAST,
    }
    return render(request, "web/trail_buck.html", context)


@staff_required
def delighted_page(request: HttpRequest, month: str) -> HttpResponse:
    if not is_lead(_viewer(request)):
        return _forbidden(request, "The delighted customers are for leads, executives and admins.")
    wanted, _closed = _month(month)
    context = {
        **_nav(request, wanted),
        "feedback": feedback.feedback(wanted),
        "low": feedback.LOW,
    }
    return render(request, "web/trail_delighted.html", context)


@staff_required
def person_month_page(request: HttpRequest, month: str, username: str) -> HttpResponse:
    staff = _staff_or_404(username)
    if not may_see_record(_viewer(request), staff):
        return _forbidden(request, "A person's month is for them, their leads and executives.")
    wanted, _closed = _month(month)
    spells = person_month.spells_of(staff.user, wanted)
    context = {
        **_next_to(wanted),
        "person": staff,
        "spells": Paginator(spells, SPELLS_A_PAGE).get_page(request.GET.get("page")),
    }
    return render(request, "web/trail_person_month.html", context)


@staff_required
def career_page(request: HttpRequest, username: str) -> HttpResponse:
    staff = _staff_or_404(username)
    if not may_see_record(_viewer(request), staff):
        return _forbidden(request, "A career record is for the person, their leads and executives.")
    record = career.career_of(staff, now(), company_time_zone())
    return render(request, "web/trail_career.html", {"person": staff, "career": record})


@staff_required
def scorecard_page(request: HttpRequest, month: str) -> HttpResponse:
    viewer = _viewer(request)
    if not (viewer.is_superuser or is_executive(viewer)):
        return _forbidden(request, "The executive's scorecard is for executives and admins.")
    wanted, _closed = _month(month)
    context = {**_next_to(wanted), "lines": scorecard.scorecard(wanted)}
    return render(request, "web/trail_scorecard.html", context)
