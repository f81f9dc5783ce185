"""The bell's page: lines grouped by case, unread first, read only when the case is opened or
the person marks them read (a POST with CSRF)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from relaydesk.cases.models import Notification
from relaydesk.timekeeping import now
from relaydesk.web.notifications import READ_SHOWN
from tests import factories
from tests.web.conftest import HTMX


def _line(user, case, text, minutes_ago=0, read=False):
    at = now() - timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        user=user, case=case, text=text, created_at=at, read_at=at if read else None
    )


def _unread(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def _three_cases(cast):
    return [
        factories.make_case(category=cast.billing, acting=cast.fran, subject=f"Subject {n}")
        for n in range(3)
    ]


def test_lines_are_grouped_by_case_with_the_unread_cases_first(signed_in, cast):
    old, fresh, done = _three_cases(cast)
    _line(cast.sam, old, "Fran passed it to you", minutes_ago=50)
    _line(cast.sam, done, "Reminder: it sat idle", minutes_ago=1, read=True)
    _line(cast.sam, fresh, "The customer wrote", minutes_ago=30)
    _line(cast.sam, fresh, "The customer wrote again", minutes_ago=10)
    _line(cast.sam, old, "An older line, read", minutes_ago=90, read=True)
    html = signed_in(cast.sam).get("/notifications/").text
    groups = html.split('data-testid="notification-group"')[1:]
    assert [fresh.ref in groups[0], old.ref in groups[1], done.ref in groups[2]] == [True] * 3
    assert "2 new" in groups[0] and "1 new" in groups[1] and "new</span>" not in groups[2]
    first = groups[0]
    assert first.index("The customer wrote again") < first.index("The customer wrote<")
    assert "An older line, read" in groups[1]


def test_looking_at_the_bell_marks_nothing_read(signed_in, cast):
    case = _three_cases(cast)[0]
    _line(cast.sam, case, "Fran passed it to you")
    client = signed_in(cast.sam)
    client.get("/notifications/")
    client.get("/notifications/")
    assert _unread(cast.sam) == 1
    assert 'aria-label="Notifications: 1 unread"' in client.get("/notifications/").text


def test_opening_the_case_marks_its_lines_read_and_only_its_own(signed_in, cast):
    first, second, _ = _three_cases(cast)
    _line(cast.sam, first, "About the first")
    _line(cast.sam, second, "About the second")
    _line(cast.mia, first, "Mia's own line")
    client = signed_in(cast.sam)
    assert f'href="/cases/{first.ref}/"' in client.get("/notifications/").text
    page = client.get(f"/cases/{first.ref}/").text
    assert 'aria-label="Notifications: 1 unread"' in page  # the header already knows
    assert list(
        Notification.objects.filter(user=cast.sam, read_at__isnull=True).values_list(
            "case", flat=True
        )
    ) == [second.pk]
    assert _unread(cast.mia) == 1


def test_opening_a_case_with_nothing_unread_about_it_writes_nothing(signed_in, cast):
    """On SQLite an UPDATE waits for the one write lock even when it matches no row: a person
    with lines unread about other cases must not queue for it on every case they open."""
    first, second, _ = _three_cases(cast)
    _line(cast.sam, second, "About the second")
    client = signed_in(cast.sam)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/cases/{first.ref}/")

    assert page.status_code == 200
    assert not [
        q["sql"] for q in queries if "cases_notification" in q["sql"] and "UPDATE" in q["sql"]
    ]
    assert _unread(cast.sam) == 1


def test_mark_read_marks_one_cases_group(signed_in, cast):
    first, second, _ = _three_cases(cast)
    _line(cast.sam, first, "About the first")
    _line(cast.sam, first, "About the first, again")
    _line(cast.sam, second, "About the second")
    client = signed_in(cast.sam)
    response = client.post("/notifications/read/", {"group": first.ref})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert not Notification.objects.filter(case=first, read_at__isnull=True).exists()
    assert _unread(cast.sam) == 1


def test_mark_all_read_with_htmx_returns_the_list(signed_in, cast):
    first, second, _ = _three_cases(cast)
    _line(cast.sam, first, "About the first")
    _line(cast.sam, second, "About the second")
    _line(cast.sam, None, "The rota changed")
    response = signed_in(cast.sam).post(
        "/notifications/read/", {"group": "all"}, headers={**HTMX, "HX-Target": "notification-list"}
    )
    assert response.status_code == 200
    assert response.text.strip().startswith('<div id="notification-list">')
    assert "new</span>" not in response.text
    assert 'hx-swap-oob="outerHTML:.site-header .bell"' in response.text  # the bell says 0
    assert 'aria-label="Notifications: 0 unread"' in response.text
    assert _unread(cast.sam) == 0


def test_lines_about_no_case_are_a_group_of_their_own(signed_in, cast):
    case = _three_cases(cast)[0]
    _line(cast.sam, None, "The rota changed")
    _line(cast.sam, case, "About the case")
    client = signed_in(cast.sam)
    assert "Not about a case" in client.get("/notifications/").text
    client.post("/notifications/read/", {"group": "other"})
    assert list(
        Notification.objects.filter(user=cast.sam, read_at__isnull=True).values_list(
            "text", flat=True
        )
    ) == ["About the case"]


def test_marking_read_is_a_post_with_csrf(cast):
    case = _three_cases(cast)[0]
    _line(cast.sam, case, "About the case")
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.sam)
    assert client.get(f"/notifications/read/?group={case.ref}").status_code == 405
    assert client.post("/notifications/read/", {"group": "all"}).status_code == 403
    assert _unread(cast.sam) == 1
    page = client.get("/notifications/").text
    assert page.count('name="csrfmiddlewaretoken"') >= 3  # mark all, the group, logout


def test_a_group_that_is_no_case_is_a_404(signed_in, cast):
    client = signed_in(cast.sam)
    for group in ("", "RD-x", "nothing", "\x00"):
        assert client.post("/notifications/read/", {"group": group}).status_code == 404


def test_the_bell_has_a_fixed_query_count(signed_in, cast, django_assert_max_num_queries):
    cases = _three_cases(cast) + _three_cases(cast)
    with time_machine.travel(now(), tick=False):
        for number in range(60):
            _line(
                cast.sam, cases[number % 6], f"Line {number}", minutes_ago=number, read=number > 40
            )
    client = signed_in(cast.sam)
    # session, user, staff, company zone, header; unread lines, read lines
    with django_assert_max_num_queries(7):
        html = client.get("/notifications/").text
    assert html.count('data-testid="notification-group"') == 6


@pytest.mark.sqlite  # PostgreSQL picks by its statistics, which a near-empty table lacks
def test_the_lines_already_read_are_found_without_sorting_them_all(db):
    plan = (
        Notification.objects.filter(user_id=7, read_at__isnull=False)
        .order_by("-created_at")[:READ_SHOWN]
        .explain()
    )
    assert "notification_user_time_idx" in plan
    assert "TEMP B-TREE" not in plan
