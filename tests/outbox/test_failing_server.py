"""The hostile tester's finding: one SMTP login failure (535) dropped mail for good.

Replayed against a real SMTP server on loopback (aiosmtpd) that wants a login: a refused login,
a 4xx, relaying denied are the server's or our settings' trouble, retried with back-off until
RELAYDESK_MAIL_RETRY_FOR after the mail was queued; the admins are told on their bell; a
setting fixed within that window loses no mail. Only an answer about the mail itself (its
recipient unknown, its content refused) fails it at once.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User

from relaydesk.cases.models import Notification
from relaydesk.outbox.models import OutgoingMail
from relaydesk.outbox.queue import queue_mail
from relaydesk.outbox.sending import handle_one_send_batch
from tests.outbox.smtp_server import SmtpServer

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# The test server asks for a password without TLS: it listens on loopback only.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
QUEUED, SENT, FAILED = (OutgoingMail.Status.QUEUED, OutgoingMail.Status.SENT, "failed")


@pytest.fixture
def noon(time_machine):
    time_machine.move_to(NOON, tick=False)
    return time_machine


@pytest.fixture
def admin(db) -> User:
    User.objects.create_user("staffer", "staffer@acme.example", "x")  # not an admin: not told
    return User.objects.create_superuser("root", "root@acme.example", "x")


@pytest.fixture
def login_server(settings):
    """A server that takes only the password "right"; Relaydesk is set up with a wrong one."""
    with SmtpServer(password="right") as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "relaydesk", "wrong"
        settings.EMAIL_TIMEOUT = 5
        yield server


def send_everything_due() -> None:
    while handle_one_send_batch():
        pass


def statuses() -> list[str]:
    return list(OutgoingMail.objects.order_by("id").values_list("status", flat=True))


def bell(user: User) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("id").values_list("text", flat=True)
    )


def test_a_refused_login_is_retried_and_the_mail_arrives_once_the_password_is_fixed(
    noon, admin, login_server, settings
):
    queued = [queue_mail(to=f"c{n}@acme.example", subject=f"n{n}", body="x") for n in range(3)]

    send_everything_due()

    assert statuses() == [QUEUED] * 3
    # One sign-in a round (smtplib tries PLAIN, then LOGIN), not one per mail.
    assert login_server.recorder.logins == [False, False]
    mail = OutgoingMail.objects.get(pk=queued[0].pk)
    assert "535" in mail.last_error
    assert mail.next_attempt_at == NOON + timedelta(seconds=30)
    [line] = bell(admin)
    assert line.startswith(
        "Outgoing mail is failing: 3 mail(s) will be retried until 2026-11-25 12:00 UTC."
    )
    assert "535" in line
    assert bell(User.objects.get(username="staffer")) == []

    noon.shift(timedelta(seconds=30))
    send_everything_due()  # still wrong: retried, and the admin is not told again this hour
    assert statuses() == [QUEUED] * 3
    assert len(bell(admin)) == 1

    settings.EMAIL_HOST_PASSWORD = "right"  # the operator fixes it a day later
    noon.shift(timedelta(days=1))
    send_everything_due()

    assert statuses() == [SENT] * 3
    assert sorted(login_server.recorder.message_ids()) == sorted(m.message_id for m in queued)
    assert login_server.recorder.logins[-1] is True


def test_a_mail_is_tried_one_last_time_when_its_window_ends_then_given_up(
    noon, admin, login_server, settings
):
    settings.MAIL_RETRY_FOR = timedelta(hours=3)
    mail = queue_mail(to="c@acme.example", subject="x", body="x")
    attempts_at = []
    while True:
        mail.refresh_from_db()
        if mail.status != QUEUED:
            break
        noon.move_to(mail.next_attempt_at)
        attempts_at.append(mail.next_attempt_at)
        send_everything_due()

    assert mail.status == FAILED
    assert attempts_at[-1] == NOON + timedelta(hours=3)  # the last try is at the window's end
    assert all(moment <= NOON + timedelta(hours=3) for moment in attempts_at)
    assert len(attempts_at) == mail.attempts == 10  # 30 s, 1, 2 … 64 min apart, then the end
    assert bell(admin)[-1].startswith("Outgoing mail failed for good: 1 mail(s) will not be sent.")


def test_a_password_fixed_just_before_the_window_ends_still_delivers(
    noon, admin, login_server, settings
):
    settings.MAIL_RETRY_FOR = timedelta(hours=3)
    mail = queue_mail(to="c@acme.example", subject="x", body="x")
    for _ in range(9):  # every try up to the window's last one fails
        mail.refresh_from_db()
        noon.move_to(mail.next_attempt_at)
        send_everything_due()
    mail.refresh_from_db()
    assert (mail.status, mail.next_attempt_at) == (QUEUED, NOON + timedelta(hours=3))

    settings.EMAIL_HOST_PASSWORD = "right"
    noon.move_to(mail.next_attempt_at)
    send_everything_due()

    mail.refresh_from_db()
    assert mail.status == SENT
    assert len(login_server.recorder.messages) == 1


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("450 4.2.0 Mailbox busy", QUEUED),
        ("554 5.7.1 <c@acme.example>: Relay access denied", QUEUED),  # our settings: fixable
        ("550 5.1.1 No such user here", FAILED),  # about this mail: final
    ],
)
def test_a_recipient_refused_is_final_only_for_a_5xx_about_the_address(
    noon, db, settings, answer, status
):
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5
        server.recorder.refuse_recipients_with = answer
        mail = queue_mail(to="c@acme.example", subject="x", body="x")
        send_everything_due()

    mail.refresh_from_db()
    assert mail.status == status
    assert answer.split()[0] in mail.last_error


def test_a_refused_recipient_does_not_hold_up_the_rest_of_the_round(noon, db, smtp_server):
    refused = queue_mail(to="nobody@acme.example", subject="x", body="x")
    fine = queue_mail(to="c@acme.example", subject="y", body="y")
    smtp_server.recorder.unknown = {"nobody@acme.example"}

    assert handle_one_send_batch() is True

    refused.refresh_from_db()
    fine.refresh_from_db()
    assert (refused.status, fine.status) == (FAILED, SENT)
    assert smtp_server.recorder.message_ids() == [fine.message_id]
