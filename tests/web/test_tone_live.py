"""The live tone check behind the reply box (rule 10): the words marked where the reply has
them, counted in characters as typed, the why and a better phrase; nothing when it reads well."""

import re

from django.contrib.auth.models import User

from relaydesk.replies.phrases_actions import PhraseFields, add_phrase
from tests import factories
from tests.web.conftest import HTMX

BLAMING = "Hi Carla, our records clearly show that you agreed to the upgrade."
WORDS = "our records clearly show that you agreed"


def _live(client, text: str):
    return client.post("/tone-check/", {"reply-body": text}, headers=HTMX)


def _buttons(html: str) -> list[dict[str, str]]:
    return [
        dict(re.findall(r'data-([a-z-]+)="([^"]*)"', button))
        for button in re.findall(r"<button [^>]*data-tone-fix[^>]*>", html)
    ]


def test_the_words_are_marked_in_the_reply_with_the_why_and_a_suggestion(signed_in, cast):
    response = _live(signed_in(cast.fran), BLAMING)

    assert response.status_code == 200
    html = response.content.decode()
    mirror = re.search(r'<div class="tone-mirror"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert mirror == (
        f'Hi Carla, <mark data-rule="argue.records_show">{WORDS}</mark> to the upgrade.'
    )
    assert "tells them we think they are lying" in html  # the rule's why
    [button] = _buttons(html)
    assert (button["start"], button["end"], button["words"]) == ("10", "50", WORDS)
    assert button["suggestion"].startswith("Here is what I can see on our side")
    assert "phrase-id" not in button  # the rule's own words: no library phrase to count


def test_offsets_count_an_emoji_as_one_character_and_a_line_break_as_one(signed_in, cast):
    text = "Hi Carla 👋\r\nObviously, restart the router."

    html = _live(signed_in(cast.fran), text).content.decode()

    [button] = _buttons(html)
    typed = text.replace("\r\n", "\n")  # what the page's textarea holds
    start, end = int(button["start"]), int(button["end"])
    assert (start, end) == (11, 20)
    assert typed[start:end] == "Obviously" == button["words"]


def test_a_reply_that_reads_well_gets_an_empty_answer(signed_in, cast):
    response = _live(signed_in(cast.fran), "That's on us: your refund reaches you by Friday.")

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_the_suggestion_is_the_library_phrase_and_carries_its_id(signed_in, cast):
    fields = PhraseFields(
        title="Let me look", text="Let me look into what happened with you.", principle="apologise"
    )
    mine = add_phrase(acting=cast.fran, fields=fields)

    html = _live(signed_in(cast.fran), BLAMING).content.decode()

    [button] = _buttons(html)
    assert button["suggestion"] == "Let me look into what happened with you."
    assert button["phrase-id"] == str(mine.pk)
    [others] = _buttons(_live(signed_in(cast.sam), BLAMING).content.decode())
    assert "phrase-id" not in others  # fran's own phrase is nobody else's suggestion


def test_only_staff_may_ask_and_only_by_post(client, signed_in, cast):
    anonymous = client.post("/tone-check/", {"reply-body": BLAMING})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert signed_in(cast.fran).get("/tone-check/").status_code == 405
    not_staff = User.objects.create_user("someone", password="pw")
    assert signed_in(not_staff).post("/tone-check/", {"reply-body": BLAMING}).status_code == 403


def test_the_reply_box_asks_as_the_person_types(signed_in, cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran)

    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()

    assert 'hx-post="/tone-check/"' in html
    assert 'hx-trigger="input changed delay:400ms"' in html
    assert 'id="tone-live"' in html and "web/tone.js" in html
