"""The customer writes back by mail (rules 8 and 11): only mail with proof speaks as the
customer; a solved case reopens within the company's reopen_within, then closes by itself, and
the customer's word on a closed case opens a new case that names it.

Every message is replayed as the raw bytes a mail server hands to intake."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from relaydesk.cases import actions
from relaydesk.cases.models import Case, Event, EventKind, Status
from relaydesk.clock.closing import handle_one_closing_batch
from relaydesk.intake.mail.receive import receive
from relaydesk.outbox.models import OutgoingMail
from tests.mail.conftest import SUPPORT

MONDAY_NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CARLA = "carla@example.com"
TRUSTED = "mx.relaydesk.localhost"


def raw(
    *,
    subject: str,
    body: str,
    sender: str = f"Carla Mendes <{CARLA}>",
    to: str = SUPPORT,
    message_id: str,
    headers: tuple[str, ...] = (),
) -> bytes:
    lines = [
        *headers,
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Message-ID: <{message_id}@example.com>",
        "Date: Mon, 02 Nov 2026 09:00:00 +0000",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "",
        body,
        "",
    ]
    return "\r\n".join(lines).encode()


def deliver(message: bytes, *, envelope_from: str = CARLA, to: str = SUPPORT) -> None:
    receive(message, source="test", envelope_from=envelope_from, envelope_to=[to])


@pytest.fixture
def case(cast) -> Case:
    """Carla's case, opened by her mail at Monday 9:00 and acknowledged (fran owns it)."""
    with time_machine.travel(MONDAY_NINE, tick=False):
        deliver(raw(subject="Charged twice", body="Charged twice on 3 November.", message_id="m1"))
    return Case.objects.get()


def acknowledgement(case: Case) -> OutgoingMail:
    return OutgoingMail.objects.get(case=case, event__kind=EventKind.ACKNOWLEDGED)


def solved_by_sam(case: Case, cast, *, at: datetime = MONDAY_NINE) -> Case:
    """Passed up to sam, who solves it: sam is the person a reopen goes back to."""
    with time_machine.travel(at, tick=False):
        actions.update_details(case, acting=case.owner, details={"invoice": "INV-77"})
        actions.pass_case(
            case, acting=case.owner, to_user=cast.sam, reason="needs_expertise", note="Refunds"
        )
        return actions.solve(case, acting=cast.sam, resolution="Refunded", one_off_reason="Once")


def last_words(case: Case) -> Event:
    return case.events.filter(kind=EventKind.CUSTOMER_WROTE).order_by("id").last()


def forged(case: Case, *, headers: tuple[str, ...] = (), message_id: str = "forged") -> bytes:
    """The hostile tester's mail: the customer's From and the case's tag, nothing else."""
    return raw(
        subject=f"Re: [{case.ref}] We have your case",
        body="Please pay my refund into my new account NL91 EVIL 0417 1643 00.",
        message_id=message_id,
        headers=headers,
    )


# Proof (rule 11) ------------------------------------------------------------------------------


def test_a_forged_mail_is_kept_unverified_tells_the_owner_and_changes_no_status(case, cast, client):
    case = solved_by_sam(case, cast)
    told = cast.sam.notifications.count()

    with time_machine.travel(MONDAY_NINE + timedelta(days=1), tick=False):
        deliver(forged(case), envelope_from="attacker@evil.test")

    case.refresh_from_db()
    assert case.status == Status.SOLVED
    assert not case.events.filter(kind=EventKind.REOPENED).exists()
    words = last_words(case)
    assert "NL91 EVIL" in words.body
    assert (words.data["verified"], words.data["via"]) == (False, "subject_tag")
    assert any(note.startswith("Unverified") for note in words.data["notes"])
    assert cast.sam.notifications.count() == told + 1
    assert cast.sam.notifications.order_by("id").last().text == (
        f"An unverified message claiming to be from the customer arrived on {case.ref}"
    )
    client.force_login(cast.sam)
    html = client.get(f"/cases/{case.ref}/").content.decode()
    assert f"Unverified: a message claiming to be from the customer ({CARLA})" in html


def test_a_forged_mail_on_an_open_case_moves_no_clock(case):
    before = Case.objects.get(pk=case.pk)

    with time_machine.travel(MONDAY_NINE + timedelta(hours=1), tick=False):
        deliver(forged(case), envelope_from="attacker@evil.test")

    case.refresh_from_db()
    assert last_words(case).data["verified"] is False
    assert (case.last_activity_at, case.next_tickle_at) == (
        before.last_activity_at,
        before.next_tickle_at,
    )


def test_mail_to_the_cases_reply_address_is_the_customers(case, cast):
    case = solved_by_sam(case, cast)
    reply_to = acknowledgement(case).headers["Reply-To"]

    with time_machine.travel(MONDAY_NINE + timedelta(days=1), tick=False):
        deliver(
            raw(subject="Still", body="Charged again.", to=reply_to, message_id="r1"), to=reply_to
        )

    words = last_words(case)
    assert (words.data["verified"], words.data["via"]) == (True, "reply_address")
    case.refresh_from_db()
    assert case.status == Status.OPEN


def test_an_answer_to_our_message_id_is_the_customers(case, cast):
    answer = raw(
        subject="Re: your case",
        body="Here is the invoice number: INV-77.",
        message_id="a1",
        headers=(f"In-Reply-To: {acknowledgement(case).message_id}",),
    )

    deliver(answer, envelope_from="bounces@mailer.example.com")

    words = last_words(case)
    assert (words.data["verified"], words.data["via"]) == (True, "message_id")


def test_an_answer_to_the_customers_own_earlier_message_proves_nothing(case):
    first = case.events.get(kind=EventKind.CUSTOMER_WROTE).data["message_id"]

    deliver(raw(subject="more", body="x", message_id="e1", headers=(f"References: {first}",)))

    words = last_words(case)
    assert (words.data["verified"], words.data["via"]) == (False, "earlier_message")


@pytest.mark.parametrize(
    ("header", "counts"),
    [
        (f"{TRUSTED}; spf=pass; dmarc=pass (p=reject) header.from=example.com", True),
        (f"{TRUSTED} 1; dkim=pass header.d=example.com header.s=s1", True),
        (f'{TRUSTED}; dkim=pass header.i="@example.com"', True),
        ("mx.evil.test; dmarc=pass header.from=example.com", False),  # not a listed server
        (f"{TRUSTED}; dmarc=fail header.from=example.com", False),
        (f"{TRUSTED}; dmarc=pass header.from=evil.test", False),  # another domain passed
        (f"{TRUSTED}; dkim=pass header.d=evil.test", False),
        (f"{TRUSTED}; spf=pass smtp.mailfrom=example.com", False),  # SPF alone is not the From
        (f"(comment) {TRUSTED}; dmarc=pass header.from=example.com", True),
    ],
)
def test_authentication_results_count_only_from_a_trusted_server(case, settings, header, counts):
    settings.TRUSTED_AUTHSERV_IDS = [TRUSTED]

    deliver(forged(case, headers=(f"Authentication-Results: {header}",)))

    words = last_words(case)
    assert words.data["verified"] is counts
    if counts:
        assert any(TRUSTED in note for note in words.data["notes"])


def test_no_authentication_results_count_when_no_server_is_trusted(case, settings):
    settings.TRUSTED_AUTHSERV_IDS = []
    passed = f"Authentication-Results: {TRUSTED}; dmarc=pass header.from=example.com"

    deliver(forged(case, headers=(passed,)))

    assert last_words(case).data["verified"] is False


# The reopen window (rule 8) -------------------------------------------------------------------


def test_the_customers_mail_within_the_window_reopens_a_solved_case_to_its_solver(case, cast):
    case = solved_by_sam(case, cast)
    answer = raw(
        subject="Re: solved",
        body="It happened again.",
        message_id="w1",
        headers=(f"In-Reply-To: {acknowledgement(case).message_id}",),
    )

    with time_machine.travel(MONDAY_NINE + timedelta(days=29), tick=False):
        deliver(answer)

    case.refresh_from_db()
    assert (case.status, case.owner) == (Status.OPEN, cast.sam)
    reopened = case.events.get(kind=EventKind.REOPENED)
    assert (reopened.data["by"], reopened.body) == ("customer", "It happened again.")


def test_the_closing_step_closes_a_solved_case_once_the_window_has_passed(case, cast):
    case = solved_by_sam(case, cast)

    with time_machine.travel(MONDAY_NINE + timedelta(days=30, minutes=-1), tick=False):
        assert handle_one_closing_batch() is False
    case.refresh_from_db()
    assert case.status == Status.SOLVED

    with time_machine.travel(MONDAY_NINE + timedelta(days=30), tick=False):
        assert handle_one_closing_batch() is True
        assert handle_one_closing_batch() is False
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    [closed] = case.events.filter(kind=EventKind.CLOSED)
    assert closed.actor is None
    assert closed.body == "No word from the customer within 30 days of the solve."


def test_the_window_is_the_companys(case, cast):
    cast.company.reopen_within_minutes = 2 * 24 * 60
    cast.company.save()
    case = solved_by_sam(case, cast)

    with time_machine.travel(MONDAY_NINE + timedelta(days=2), tick=False):
        assert handle_one_closing_batch() is True

    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert "within 2 days of the solve" in case.events.get(kind=EventKind.CLOSED).body


def test_the_idle_closing_step_is_two_queries(case, cast, django_assert_max_num_queries):
    solved_by_sam(case, cast)
    with time_machine.travel(MONDAY_NINE + timedelta(days=40), tick=False):
        assert handle_one_closing_batch() is True
        # the company's window and the empty claim, in a savepoint (its SAVEPOINT and RELEASE)
        with django_assert_max_num_queries(4):
            assert handle_one_closing_batch() is False


def answer_to(case: Case, message_id: str) -> bytes:
    return raw(
        subject=f"Re: [{case.ref}] solved",
        body="The refund never arrived.",
        message_id=message_id,
        headers=(f"In-Reply-To: {acknowledgement(case).message_id}",),
    )


def test_the_customers_mail_to_a_closed_case_opens_a_new_case_naming_it(case, cast):
    case = solved_by_sam(case, cast)
    with time_machine.travel(MONDAY_NINE + timedelta(days=31), tick=False):
        handle_one_closing_batch()
        deliver(answer_to(case, "c1"))

    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert not case.events.filter(kind=EventKind.REOPENED).exists()
    follow_up = Case.objects.exclude(pk=case.pk).get()
    assert (follow_up.customer, follow_up.category) == (case.customer, case.category)
    assert follow_up.subject == f"Charged twice (follow-up to {case.ref})"
    assert follow_up.status == Status.OPEN
    opened = follow_up.events.get(kind=EventKind.OPENED)
    assert opened.data["follow_up_of"] == case.ref
    assert last_words(follow_up).body == "The refund never arrived."
    assert acknowledgement(follow_up).to == CARLA
    pointer = case.events.get(kind=EventKind.NOTE)
    assert pointer.data == {"follow_up": follow_up.ref}
    assert follow_up.ref in pointer.body


def test_mail_after_the_window_opens_a_new_case_even_before_the_closing_step_ran(case, cast):
    case = solved_by_sam(case, cast)

    with time_machine.travel(MONDAY_NINE + timedelta(days=31), tick=False):
        deliver(answer_to(case, "c2"))

    case.refresh_from_db()
    assert case.status == Status.SOLVED
    follow_up = Case.objects.exclude(pk=case.pk).get()
    assert follow_up.events.get(kind=EventKind.OPENED).data["follow_up_of"] == case.ref


def test_a_forged_mail_to_a_closed_case_opens_nothing(case, cast):
    case = solved_by_sam(case, cast)
    with time_machine.travel(MONDAY_NINE + timedelta(days=31), tick=False):
        handle_one_closing_batch()
        deliver(forged(case), envelope_from="attacker@evil.test")

    assert Case.objects.count() == 1
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert last_words(case).data["verified"] is False
