"""The Phrases page, the reply box's phrase search, and uses counted when a reply is sent."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from relaydesk.cases.models import EventKind
from relaydesk.replies.models import Phrase, PhraseUse
from relaydesk.replies.phrases_actions import PhraseFields, add_phrase
from tests import factories
from tests.web.conftest import HTMX

pytestmark = pytest.mark.django_db


def _add(acting, title, text, principle="apologise", *, company_wide=False, tags=""):
    fields = PhraseFields(title=title, text=text, principle=principle, tags=tags)
    return add_phrase(acting=acting, fields=fields, company_wide=company_wide)


@pytest.fixture
def library(cast):
    """The company's phrase (by mia, a lead), and fran's and sam's personal ones."""
    return {
        "company": _add(
            cast.mia,
            "Refund on its way",
            "Your refund reaches you by Friday.",
            "promise_with_a_time",
            company_wide=True,
            tags="refund",
        ),
        "fran": _add(cast.fran, "Fran's sorry", "Sorry the refund took so long.", tags="refund"),
        "sam": _add(cast.sam, "Sam's secret line", "I sent the refund myself.", tags="refund"),
    }


def _titles(html: str) -> list[str]:
    return re.findall(r"<h3>([^<]+)</h3>", html)


def test_the_page_lists_the_company_phrases_and_mine_never_anothers(signed_in, cast, library):
    html = signed_in(cast.fran).get("/phrases/").content.decode()

    assert _titles(html) == ["Fran&#x27;s sorry", "Refund on its way"]
    assert "Sam&#x27;s secret line" not in html
    assert f'href="/phrases/{library["fran"].pk}/edit/"' in html
    assert f'href="/phrases/{library["company"].pk}/edit/"' not in html  # fran leads nobody
    assert 'href="/phrases/" aria-current="page"' in html  # the header's link


def test_a_lead_may_change_the_company_phrases_and_sees_whose_they_are(signed_in, cast, library):
    html = signed_in(cast.mia).get("/phrases/").content.decode()

    assert _titles(html) == ["Refund on its way"]
    assert f'href="/phrases/{library["company"].pk}/edit/"' in html
    assert "For the whole company" in html


def test_the_search_returns_the_list_for_htmx(signed_in, cast, library):
    response = signed_in(cast.fran).get("/phrases/", {"q": "friday"}, headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="phrase-list"')
    assert _titles(html) == ["Refund on its way"]
    none = signed_in(cast.fran).get("/phrases/", {"q": "zebra"}, headers=HTMX).content.decode()
    assert "No phrase holds all of “zebra”." in none


def test_the_page_is_a_few_queries_however_many_phrases(
    signed_in, cast, library, django_assert_max_num_queries
):
    for number in range(40):
        _add(cast.mia, f"Phrase {number}", "Words.", company_wide=True)
    client = signed_in(cast.fran)

    with django_assert_max_num_queries(7):
        html = client.get("/phrases/").content.decode()
    assert len(_titles(html)) == 42


def test_anyone_adds_a_personal_phrase_and_only_a_lead_a_company_one(signed_in, cast):
    body = {
        "phrase-title": "Our courier",
        "phrase-text": "The courier is ours to chase.",
        "phrase-principle": "take_the_blame",
        "phrase-tags": "Delivery, courier",
        "phrase-company_wide": "on",  # not on fran's form: ignored
    }

    response = signed_in(cast.fran).post("/phrases/add/", body)

    assert response.status_code == 302
    fran_phrase = Phrase.objects.get()
    assert (fran_phrase.owner, fran_phrase.tags) == (cast.fran, "delivery, courier")
    signed_in(cast.mia).post("/phrases/add/", {**body, "phrase-title": "For everyone"})
    assert Phrase.objects.get(title="For everyone").owner is None


def test_an_incomplete_phrase_comes_back_with_its_errors(signed_in, cast):
    response = signed_in(cast.fran).post(
        "/phrases/add/", {"phrase-title": "", "phrase-text": "Words", "phrase-principle": "nope"}
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert html.count('class="field-error"') == 2 and "Words</textarea>" in html
    assert not Phrase.objects.exists()


def test_another_persons_phrase_cannot_be_opened_changed_or_deleted(signed_in, cast, library):
    sams = library["sam"].pk
    fran = signed_in(cast.fran)

    assert fran.get(f"/phrases/{sams}/edit/").status_code == 404
    assert fran.post(f"/phrases/{sams}/edit/", {"phrase-title": "Mine now"}).status_code == 404
    assert fran.post(f"/phrases/{sams}/delete/").status_code == 404
    assert fran.get(f"/phrases/{library['company'].pk}/edit/").status_code == 403
    assert fran.post(f"/phrases/{library['company'].pk}/delete/").status_code == 403
    assert Phrase.objects.count() == 3
    assert Phrase.objects.get(pk=sams).title == "Sam's secret line"


def test_the_owner_changes_and_deletes_their_phrase(signed_in, cast, library):
    mine = library["fran"]
    fran = signed_in(cast.fran)
    assert (
        "Sorry the refund took so long.</textarea>"
        in fran.get(f"/phrases/{mine.pk}/edit/").content.decode()
    )

    response = fran.post(
        f"/phrases/{mine.pk}/edit/",
        {
            "phrase-title": "Fran's sorry",
            "phrase-text": "Sorry it took a week.",
            "phrase-principle": "apologise",
            "phrase-tags": "",
        },
    )
    assert response.status_code == 302
    assert Phrase.objects.get(pk=mine.pk).text == "Sorry it took a week."
    assert fran.post(f"/phrases/{mine.pk}/delete/").status_code == 302
    assert not Phrase.objects.filter(pk=mine.pk).exists()


def test_the_reply_box_has_the_phrase_search(signed_in, cast):
    case = factories.make_case(category=cast.billing, acting=cast.fran)

    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()

    assert 'hx-get="/phrases/pick/"' in html and 'name="phrase-q"' in html
    assert '<script src="/static/web/phrases.js" defer></script>' in html


def test_the_reply_box_search_offers_what_i_may_use(signed_in, cast, library):
    response = signed_in(cast.fran).get("/phrases/pick/", {"phrase-q": "refund"}, headers=HTMX)

    html = response.content.decode()
    ids = [int(pk) for pk in re.findall(r'data-phrase-id="(\d+)"', html)]
    assert sorted(ids) == sorted([library["company"].pk, library["fran"].pk])
    assert 'data-phrase-text="Your refund reaches you by Friday."' in html


def _reply(client, case, body, phrases, **extra):
    data = {"reply-body": body, "reply-phrases": [str(pk) for pk in phrases], **extra}
    return client.post(f"/cases/{case.ref}/reply/", data, headers=HTMX)


def test_a_sent_reply_counts_the_phrases_put_in_it(signed_in, cast, library):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    ids = [library["company"].pk, library["fran"].pk, library["sam"].pk]

    response = _reply(signed_in(cast.fran), case, "Your refund reaches you by Friday.", ids)

    assert response.status_code == 200
    assert case.events.filter(kind=EventKind.REPLIED).exists()
    uses = PhraseUse.objects.filter(used_by=cast.fran, case=case)
    assert sorted(uses.values_list("phrase_id", flat=True)) == sorted(ids[:2])  # not sam's
    assert 'name="reply-phrases"' not in response.content.decode()  # the fresh box is empty


def test_a_reply_that_is_not_sent_counts_nothing_and_keeps_its_phrases(
    signed_in, cast, library, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.MAIL_MAX_ATTACHMENT_BYTES = 4
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    big = SimpleUploadedFile("photo.jpg", b"12345", "image/jpeg")

    response = _reply(
        signed_in(cast.fran), case, "Sorry.", [library["fran"].pk], **{"reply-files": [big]}
    )

    assert response.status_code == 422
    assert not PhraseUse.objects.exists()
    kept = f'<input type="hidden" name="reply-phrases" value="{library["fran"].pk}">'
    assert kept in response.content.decode()
