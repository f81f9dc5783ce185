"""POST /api/v1/tone-check, and the tone check on POST /cases/{ref}/replies (rule 10)."""

from relaydesk.cases.models import Event, EventKind
from relaydesk.outbox.models import OutgoingMail
from relaydesk.replies.models import Principle
from relaydesk.replies.phrases_actions import PhraseFields, add_phrase
from tests.api.conftest import Api
from tests.factories import make_case

BLAMING = "Hi Carla, you should’ve checked the invoice 🧾 before paying."


def test_tone_check_answers_the_warnings_with_offsets_in_the_text_as_sent(cast, api_as):
    answered = api_as(cast.fran).post("/tone-check", {"text": BLAMING})

    assert answered.status_code == 200, answered.json()
    [warning] = answered.json()["warnings"]
    assert BLAMING[warning["start"] : warning["end"]] == "you should’ve checked"
    assert warning["rule"] == "blame.should_have"
    assert warning["why"] and warning["suggestion"]
    assert set(warning) == {"start", "end", "rule", "why", "suggestion"}


def test_kind_words_have_no_warnings(cast, api_as):
    answered = api_as(cast.fran).post(
        "/tone-check", {"text": "That's on us. You should receive the refund by Friday."}
    )

    assert answered.json() == {"warnings": []}


def test_the_suggestion_is_the_writers_own_library_phrase_when_there_is_one(cast, api_as):
    words = "One thing that often helps: [the step]. If it doesn't, I'll take it from there."
    add_phrase(
        acting=cast.fran,
        fields=PhraseFields(title="Kindly", text=words, principle=Principle.BLOW_OUT_THE_DUST),
    )

    [warning] = api_as(cast.fran).post("/tone-check", {"text": BLAMING}).json()["warnings"]

    assert warning["suggestion"].startswith("One thing that often helps")


def test_tone_check_refuses_bad_input_and_strangers(cast, api_as):
    assert api_as(cast.fran).post("/tone-check", {"text": 5}).status_code == 422
    assert api_as(cast.fran).post("/tone-check", {"text": "x" * 100_001}).status_code == 422
    assert api_as(cast.fran).post("/tone-check", {}).status_code == 422
    assert Api(None).post("/tone-check", {"text": "Hello"}).status_code == 401


def test_a_warned_reply_is_409_with_the_warnings_and_nothing_is_sent(cast, api_as):
    case = make_case(category=cast.billing, acting=cast.fran)
    queued = OutgoingMail.objects.count()

    answered = api_as(cast.fran).post(f"/cases/{case.ref}/replies", {"body": BLAMING})

    assert answered.status_code == 409
    body = answered.json()
    assert "you should’ve checked" in body["detail"] and "send anyway" in body["detail"]
    [warning] = body["warnings"]
    assert (warning["rule"], BLAMING[warning["start"] : warning["end"]]) == (
        "blame.should_have",
        "you should’ve checked",
    )
    assert not Event.objects.filter(kind=EventKind.REPLIED).exists()
    assert OutgoingMail.objects.count() == queued


def test_send_anyway_sends_it_and_the_event_records_the_warnings(cast, api_as):
    case = make_case(category=cast.billing, acting=cast.fran)

    answered = api_as(cast.fran).post(
        f"/cases/{case.ref}/replies", {"body": BLAMING, "send_anyway": True}
    )

    assert answered.status_code == 201, answered.json()
    assert answered.json()["send_anyway"] is True
    event = Event.objects.get(kind=EventKind.REPLIED)
    assert event.data["send_anyway"] is True
    assert event.data["tone_warnings"] == [
        {"rule": "blame.should_have", "words": "you should’ve checked"}
    ]
    assert OutgoingMail.objects.filter(event=event).exists()


def test_a_reply_without_warnings_goes_without_send_anyway(cast, api_as):
    case = make_case(category=cast.billing, acting=cast.fran)

    answered = api_as(cast.fran).post(
        f"/cases/{case.ref}/replies", {"body": "We refunded it; that's on us."}
    )

    assert answered.status_code == 201
    assert "tone_warnings" not in Event.objects.get(kind=EventKind.REPLIED).data
