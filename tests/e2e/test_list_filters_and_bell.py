"""In a real browser: the queue's filters swap the list in place and keep the address; the
bell's "Mark read" works in place too; both pages fit a 390 px phone."""

import pytest
from playwright.sync_api import expect

from relaydesk.cases.models import Notification
from relaydesk.timekeeping import now
from tests import factories

pytestmark = pytest.mark.browser


def test_choosing_realtime_only_swaps_the_queue_in_place(page, live_server, cast, sign_in, shoot):
    cast.fran.staff.realtime_handler = True
    cast.fran.staff.save()
    plain = factories.make_case(category=cast.billing, acting=cast.fran, subject="Plain one")
    urgent = factories.make_case(
        category=cast.billing,
        acting=cast.fran,
        subject="On the platform now",
        realtime_triggers=["travel_today"],
    )
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in("eve")
    page.goto(f"{live_server.url}/queue/")
    page.evaluate("window.__stillHere = true")  # a full reload would forget this
    page.get_by_label("Realtime", exact=True).select_option("yes")
    expect(page.locator(f"#row-{plain.ref}")).to_have_count(0)
    expect(page.locator(f"#row-{urgent.ref}")).to_be_visible()
    assert page.evaluate("window.__stillHere") is True
    assert "realtime=yes" in page.url  # the address keeps the filter (back, reload, share)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the filtered queue scrolls sideways by {overflow}px"
    shoot("queue-realtime-390")


def test_mark_read_on_the_bell_works_in_place(page, live_server, cast, sign_in, shoot):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    Notification.objects.create(
        user=cast.sam, case=case, text="Fran passed it to you", created_at=now()
    )
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in("sam")
    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_text("1 new")).to_be_visible()
    shoot("bell-unread-390")
    page.get_by_role("button", name=f"Mark {case.ref} read").click()
    expect(page.get_by_text("1 new")).to_have_count(0)
    expect(page.get_by_test_id("unread-count")).to_have_text("0")  # the header's bell too
    expect(page.get_by_test_id("unread-count")).to_have_count(1)
    assert not Notification.objects.filter(user=cast.sam, read_at__isnull=True).exists()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
