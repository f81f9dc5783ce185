"""The case page's reply box and the tone check (rule 10): a warned reply comes back with the
warnings and a "send anyway" box; ticked, it goes and the history says so."""

from relaydesk.cases.models import EventKind
from tests import factories
from tests.cases.written import nothing_written
from tests.web.conftest import HTMX

BLAMING = "Hi Carla, our records clearly show that you agreed to the upgrade."


def test_a_warned_reply_is_refused_with_the_warnings_and_the_words_kept(signed_in, cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(case):
        response = signed_in(cast.fran).post(
            f"/cases/{case.ref}/reply/", {"reply-body": BLAMING}, headers=HTMX
        )

    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="tone-warnings"' in html
    assert "<mark>our records clearly show that you agreed</mark>" in html
    assert "tells them we think they are lying" in html  # the rule's why
    assert 'name="reply-send_anyway"' in html
    assert f"{BLAMING}</textarea>" in html


def test_send_anyway_sends_the_warned_reply(signed_in, cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran)

    response = signed_in(cast.fran).post(
        f"/cases/{case.ref}/reply/",
        {"reply-body": BLAMING, "reply-send_anyway": "on"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "Your reply is on its way to the customer." in response.content.decode()
    replied = case.events.get(kind=EventKind.REPLIED)
    assert replied.data["send_anyway"] is True
    assert replied.data["tone_warnings"][0]["rule"] == "argue.records_show"


def test_the_send_anyway_box_shows_only_after_a_warning(signed_in, cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran)

    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()

    assert 'name="reply-send_anyway"' not in html
