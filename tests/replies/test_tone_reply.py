"""reply() and the tone check's result (rule 10): the caller runs the check and passes what it
found; a warned reply is sent only with send_anyway, which the event records."""

import pytest

from relaydesk.cases import actions
from relaydesk.cases.errors import ToneWarned
from relaydesk.cases.models import EventKind
from relaydesk.replies.tone import check
from tests.cases.written import nothing_written
from tests.factories import make_case

WORDS = "Obviously, you need to restart the router. As stated in the manual."


def warnings_for(text):
    return [w.as_dict() for w in check(text)]


def test_a_warned_reply_is_refused_and_nothing_is_written(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    with nothing_written(), pytest.raises(ToneWarned) as refused:
        actions.reply(case, acting=cast.fran, body=WORDS, tone_warnings=warnings_for(WORDS))

    assert refused.value.http_status == 409
    assert "\u201cObviously\u201d, \u201cAs stated\u201d" in refused.value.message
    assert [w["rule"] for w in refused.value.warnings] == [
        "lecture.obviously",
        "lecture.as_stated",
    ]


def test_send_anyway_sends_it_and_records_the_rules_and_words(cast):
    case = make_case(category=cast.billing, acting=cast.fran)

    event = actions.reply(
        case, acting=cast.fran, body=WORDS, tone_warnings=warnings_for(WORDS), send_anyway=True
    )

    assert event.kind == EventKind.REPLIED
    assert event.data["send_anyway"] is True
    assert event.data["tone_warnings"] == [
        {"rule": "lecture.obviously", "words": "Obviously"},
        {"rule": "lecture.as_stated", "words": "As stated"},
    ]
