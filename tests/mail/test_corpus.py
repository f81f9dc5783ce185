"""Every message of the real-world corpus (many broken on purpose) ends somewhere visible."""

from pathlib import Path

import pytest

from relaydesk.cases.models import Case
from relaydesk.intake.models import Quarantine, RawMessage
from tests.mail.conftest import send

# A copy of ../shared/corpus/mail (licences inside), so a clean clone tests it anywhere.
CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = sorted(
    path
    for path in CORPUS.glob("*/*")
    if path.is_file() and path.name not in ("LICENSE", "README.md")
)


@pytest.mark.skipif(not FILES, reason="the mail corpus is missing from tests/mail/corpus")
def test_every_corpus_message_ends_as_a_case_a_reply_a_bounce_or_a_quarantine(mailin):
    raw_ids = {}
    for path in FILES:
        answer = send(mailin, path.read_bytes(), sender="someone@example.com")
        assert answer == {}, f"{path.name} was refused: {answer}"
        raw_ids[path.name] = RawMessage.objects.order_by("-id").values_list("id", flat=True)[0]

    # No message is lost: every file is its own raw row, the redelivered one too.
    assert len(FILES) == 93
    assert len(set(raw_ids.values())) == len(FILES)
    assert RawMessage.objects.count() == len(FILES)
    for raw in RawMessage.objects.all():
        assert raw.state in ("processed", "quarantined"), raw.pk
        if raw.outcome in ("new_case", "reply", "bounce"):
            assert raw.case is not None
        elif raw.outcome == "duplicate":
            assert raw.duplicate_of is not None and raw.duplicate_of.pk < raw.pk
            assert raw.case == raw.duplicate_of.case
            assert "Nothing new was created" in raw.outcome_reason
            assert not Quarantine.objects.filter(raw_message=raw).exists()
        else:
            assert raw.outcome == "quarantined"
            entry = Quarantine.objects.get(raw_message=raw)
            assert entry.reason
            assert not entry.reason.startswith("Processing failed"), entry.reason
    assert Case.objects.count() == RawMessage.objects.filter(outcome="new_case").count()

    # Two files are one message (same Message-ID and body; only the Received lines differ):
    # a redelivery, as a sending server makes when our 250 got lost. Stored twice, one case.
    by_key = {}
    for raw in RawMessage.objects.order_by("id"):
        by_key.setdefault(raw.message_key, []).append(raw)
    [(first, again)] = [rows for rows in by_key.values() if len(rows) > 1]
    assert first.outcome != "duplicate"
    assert (again.outcome, again.duplicate_of) == ("duplicate", first)
    assert "delivered again" in again.outcome_reason
    assert again.case == first.case
