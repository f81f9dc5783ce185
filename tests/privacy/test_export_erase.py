"""`relaydesk privacy export EMAIL` and `relaydesk privacy erase EMAIL` (rule 15)."""

import io
import json
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.management import CommandError, call_command

from relaydesk import cli
from relaydesk.cases import actions
from relaydesk.cases.erasure import MARKER
from relaydesk.cases.models import Attachment, Case, Event, SurveyAnswer
from relaydesk.cases.uploads import attachments_dir
from relaydesk.goodwill.actions import give_goodwill
from relaydesk.insights.months import month_of
from relaydesk.insights.trail import as_report, compute_trail
from relaydesk.intake.mail import rawfiles
from relaydesk.intake.mail.receive import receive
from relaydesk.intake.models import RawMessage
from relaydesk.org.append_only import AppendOnlyError
from relaydesk.outbox.models import OutgoingMail
from relaydesk.privacy.models import AccessLog
from relaydesk.problems.search import find_cases
from relaydesk.timekeeping import now
from tests import factories
from tests.privacy.conftest import EMAIL, PHONE

SUPPORT = "support@relaydesk.localhost"


def carla_mail(body: str) -> bytes:
    message = EmailMessage()
    message["From"] = f"Carla Mendes <{EMAIL}>"
    message["To"] = SUPPORT
    message["Subject"] = "My ticket from Zwolle"
    message["Message-ID"] = make_msgid(domain="example.com")
    message.set_content(body)
    message.add_attachment(
        b"%PDF-1.4 receipt", maintype="application", subtype="pdf", filename="carla-receipt.pdf"
    )
    return bytes(message)


@pytest.fixture
def history(cast, scene, settings, django_capture_on_commit_callbacks):
    """Carla's phone case (scene.case, fran's) with a note quoting her number; a mail case
    (raw mail kept as a file, a receipt attached) that fran solves, with a delighted survey
    and a goodwill gesture."""
    settings.MAIL_RAW_FILE_BYTES = 100  # every raw mail a file, so erasing must delete it
    actions.add_note(
        scene.case, acting=cast.fran, body=f"Carla Mendes asked to be called on {PHONE}."
    )
    raw = carla_mail("Hello, the ticket machine in Zwolle charged me twice. Carla Mendes")
    with django_capture_on_commit_callbacks(execute=True):
        received = receive(raw, source="smtp", envelope_from=EMAIL, envelope_to=[SUPPORT])
    mailed = Case.objects.get(pk=received.result.case.pk)
    mailed = actions.take(mailed, acting=cast.fran) if mailed.owner != cast.fran else mailed
    actions.reply(mailed, acting=cast.fran, body="Dear Carla, we refund you today.")
    give_goodwill(mailed, acting=cast.fran, kind="credit", value="10", note="For Carla's trouble.")
    actions.solve(mailed, acting=cast.fran, resolution="Refunded Carla.", one_off_reason="One-off.")
    actions.answer_survey(mailed, rating=5, delighted="Fran was quick", fix="Nothing, Carla")
    return {"raw": raw, "mailed": mailed, "raw_row": RawMessage.objects.get(pk=received.raw_id)}


def test_export_is_everything_about_the_customer_as_json(cast, scene, history):
    out = io.StringIO()
    call_command("privacy", "export", EMAIL.upper(), stdout=out)
    shape = json.loads(out.getvalue())
    assert shape["customer"]["email"] == EMAIL and shape["customer"]["phone"] == PHONE
    refs = [case["ref"] for case in shape["cases"]]
    assert refs == [scene.case.ref, history["mailed"].ref]
    assert any("Zwolle charged me twice" in w["words"] for w in shape["words"])
    assert any("Fran was quick" in w["words"] for w in shape["words"])
    assert [f["name"] for f in shape["attachments"]] == ["carla-receipt.pdf"]
    assert shape["surveys"] == [
        {
            "case": history["mailed"].ref,
            "rating": 5,
            "what_delighted": "Fran was quick",
            "what_to_fix": "Nothing, Carla",
            "answered_at": shape["surveys"][0]["answered_at"],
        }
    ]
    assert [(g["kind"], g["value"]) for g in shape["goodwill"]] == [("credit", "10.00")]
    log = AccessLog.objects.get()
    assert (log.who, log.ground, log.page) == (None, "admin", "relaydesk privacy export")


def test_an_unknown_address_is_a_plain_error(cast, scene):
    with pytest.raises(CommandError, match="No customer has the address"):
        call_command("privacy", "export", "nobody@example.com")
    with pytest.raises(CommandError, match="No customer has the address"):
        call_command("privacy", "erase", "nobody@example.com")


def _trail(moment):
    return as_report(compute_trail(month_of(moment, "Europe/Amsterdam")))


def _without_words(report):
    for person in report["people"]:
        for delighted in person["delighted"]:
            delighted["what_delighted"] = "words"
    return report


def test_erase_anonymises_the_person_and_keeps_every_figure(
    cast, scene, history, django_capture_on_commit_callbacks
):
    before = _trail(now())
    events_before = list(Event.objects.order_by("id").values_list("id", "kind", "actor", "at"))
    raw_file = history["raw_row"].raw_file
    stored = list(Attachment.objects.values_list("stored_name", flat=True))
    assert raw_file and (rawfiles.raw_dir() / raw_file).exists()
    assert all((attachments_dir() / name).exists() for name in stored)
    assert find_cases("Zwolle")

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("privacy", "erase", EMAIL, "--why", "She asked us to.", stdout=out)
    assert "Erased customer" in out.getvalue()

    scene.customer.refresh_from_db()
    assert (scene.customer.name, scene.customer.email, scene.customer.phone) == (
        "Erased customer",
        "",
        "",
    )
    # Cases and events stay, with the same kinds, people and times; one warning more a case.
    after = list(Event.objects.order_by("id").values_list("id", "kind", "actor", "at"))
    assert after[: len(events_before)] == events_before
    added = Event.objects.filter(pk__gt=events_before[-1][0])
    assert sorted(e.case_id for e in added) == sorted([scene.case.pk, history["mailed"].pk])
    assert {(e.kind, e.reason) for e in added} == {("warning", "customer_erased")}
    assert all("She asked us to." in e.body for e in added)
    # Nothing of her is left in the history's words.
    every_word = json.dumps(
        [(e.body, e.data) for e in Event.objects.all()]
        + list(Case.objects.values_list("subject", "real_need", "resolution", "details"))
        + list(OutgoingMail.objects.values_list("to", "subject", "body")),
        ensure_ascii=False,
    )
    for trace in (EMAIL, PHONE, "Carla", "Mendes", "Zwolle charged me", "carla-receipt"):
        assert trace not in every_word, trace
    assert MARKER in every_word
    answer = SurveyAnswer.objects.get()
    assert (answer.rating, answer.delighted, answer.fix) == (5, MARKER, MARKER)
    # Files gone, rows kept; raw mail gone, its key kept as a hash.
    assert list(Attachment.objects.values_list("original_name", flat=True)) == [MARKER]
    assert not any((attachments_dir() / name).exists() for name in stored)
    raw = RawMessage.objects.get(pk=history["raw_row"].pk)
    assert (bytes(raw.raw), raw.raw_file, raw.sender, raw.message_id) == (b"", "", "", "")
    assert raw.message_key.startswith("erased:")
    assert not (rawfiles.raw_dir() / raw_file).exists()
    # The trail is the same, but for the customers' words.
    assert _without_words(_trail(now())) == _without_words(before)
    # The search index forgot her words.
    assert find_cases("Zwolle") == []


def test_a_redelivery_of_erased_mail_is_still_a_duplicate(cast, scene, history):
    call_command("privacy", "erase", EMAIL, stdout=io.StringIO())
    cases = Case.objects.count()
    again = receive(history["raw"], source="smtp", envelope_from=EMAIL, envelope_to=[SUPPORT])
    assert again.result.outcome == "duplicate"
    assert Case.objects.count() == cases


def test_events_stay_append_only_outside_the_erase_action(cast, scene):
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(case=scene.case).update(body="changed")
    event = Event.objects.filter(case=scene.case).first()
    event.body = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_erasing_twice_changes_nothing_more(cast, scene):
    first = actions.erase_customer(scene.customer, acting=None, why="Asked.")
    count = Event.objects.count()
    second = actions.erase_customer(scene.customer, acting=None, why="Asked again.")
    assert (first.cases, second.cases) == (1, 0)
    assert Event.objects.count() == count


def test_erase_needs_a_reason(cast, scene):
    from relaydesk.cases.errors import Incomplete

    with pytest.raises(Incomplete):
        actions.erase_customer(scene.customer, acting=cast.mia, why="  ")


def test_the_relaydesk_command_knows_privacy_and_erase_has_a_dry_run(cast, scene):
    assert "privacy" in cli.COMMANDS and "privacy erase EMAIL" in cli.USAGE
    out = io.StringIO()
    call_command("privacy", "erase", EMAIL, "--dry-run", stdout=out)
    assert "Would erase customer" in out.getvalue()
    scene.customer.refresh_from_db()
    assert scene.customer.email == EMAIL


def test_erasing_a_merged_person_erases_every_row_and_address_they_had(cast, scene):
    olga = factories.make_customer(name="Carla M. Olsen", email="carla.olsen@example.org")
    theirs = factories.make_case(category=cast.billing, acting=cast.fran, customer=olga)
    actions.merge_customers(olga, into=scene.customer, acting=cast.mia)
    out = io.StringIO()
    call_command("privacy", "export", EMAIL, stdout=out)
    exported = json.loads(out.getvalue())["customer"]["other_contacts"]
    assert [other["email"] for other in exported] == ["carla.olsen@example.org"]

    actions.erase_customer(scene.customer, acting=cast.mia, why="Asked.")
    olga.refresh_from_db()
    scene.customer.refresh_from_db()
    for row in (olga, scene.customer):
        assert (row.name, row.email, row.phone, row.other_contacts) == (
            "Erased customer",
            "",
            "",
            [],
        )
    words = json.dumps(
        [(e.body, e.data) for e in Event.objects.filter(case=theirs)]
        + list(OutgoingMail.objects.values_list("to", "body")),
        ensure_ascii=False,
    )
    assert "carla.olsen@example.org" not in words and "Olsen" not in words


def test_erase_leaves_no_address_in_the_contact_forms_flood_counts(cast, scene):
    from relaydesk.intake.models import ContactAttempt

    ContactAttempt.objects.create(email=EMAIL, ip="192.0.2.7", at=now())
    ContactAttempt.objects.create(email="someone@example.com", ip="192.0.2.8", at=now())
    actions.erase_customer(scene.customer, acting=None, why="Asked.")
    assert sorted(ContactAttempt.objects.values_list("email", "ip")) == [
        ("", "192.0.2.7"),
        ("someone@example.com", "192.0.2.8"),
    ]
