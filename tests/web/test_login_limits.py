"""Sign-in limits (issue 18): the hostile tester's 40 wrong passwords in 9 s, then the right one,
replayed on the staff sign-in and on the admin's; lockouts by username and by address, the
cool-off and its back-off, and the admins' bell line."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from relaydesk.cases.models import Notification

ATTACKER = "203.0.113.9"


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser("root", "root@acme.example", "root-pw")


def sign_in(username: str, password: str, *, address: str = ATTACKER, path: str = "/login/"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(path, {"username": username, "password": password})
    return client, response


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def wrong_passwords(count: int, username: str = "fran", **where) -> None:
    for attempt in range(count):
        sign_in(username, f"guess-{attempt}", **where)


def test_forty_wrong_passwords_then_the_right_one_is_refused(cast):
    wrong_passwords(40)

    client, response = sign_in("fran", "pw")

    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert not signed_in(client)


def test_forty_wrong_passwords_on_the_admin_sign_in_then_the_right_one_is_refused(root):
    wrong_passwords(40, "root", path="/admin/login/")

    client, response = sign_in("root", "root-pw", path="/admin/login/")

    assert response.status_code == 429
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302  # still sent to sign in


def test_a_few_wrong_passwords_do_not_lock_anyone_out(cast):
    wrong_passwords(4)

    client, response = sign_in("fran", "pw")

    assert response.status_code == 302 and signed_in(client)


def test_wrong_passwords_for_many_usernames_lock_out_their_address(cast):
    for name in ("sam", "eve", "mia", "ed", "nobody"):
        sign_in(name, "guess")

    client, response = sign_in("fran", "pw")
    assert response.status_code == 429 and not signed_in(client)

    elsewhere, response = sign_in("fran", "pw", address="198.51.100.7")
    assert response.status_code == 302 and signed_in(elsewhere)


def test_wrong_passwords_for_one_username_from_many_addresses_lock_out_the_username(cast):
    for host in range(5):
        sign_in("fran", "guess", address=f"198.51.100.{host + 10}")

    client, response = sign_in("fran", "pw", address="192.0.2.1")
    assert response.status_code == 429 and not signed_in(client)

    colleague, response = sign_in("sam", "pw", address="192.0.2.1")
    assert response.status_code == 302 and signed_in(colleague)


def test_the_right_password_works_again_once_the_cool_off_has_passed(cast):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        wrong_passwords(5)
        traveller.shift(timedelta(minutes=14))
        assert sign_in("fran", "pw")[1].status_code == 429  # and that try restarts the wait

        traveller.shift(timedelta(minutes=16))
        client, response = sign_in("fran", "pw")

    assert response.status_code == 302 and signed_in(client)


def test_the_cool_off_doubles_for_each_further_limit_of_failures(cast):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        wrong_passwords(10)  # twice the limit: 30 minutes
        traveller.shift(timedelta(minutes=16))
        assert sign_in("fran", "pw")[1].status_code == 429

        traveller.shift(timedelta(minutes=31))
        client, response = sign_in("fran", "pw")

    assert response.status_code == 302 and signed_in(client)


def test_the_pause_page_says_how_long_in_plain_words(cast):
    wrong_passwords(5)

    _, response = sign_in("fran", "pw")

    page = response.content.decode()
    assert "Too many wrong passwords" in page and "15 min" in page


def test_the_admins_get_one_bell_line_when_a_lockout_starts(cast, root):
    wrong_passwords(40)

    lines = Notification.objects.filter(user=root)
    assert [line.text for line in lines] == [
        f"Sign-in locked after 5 wrong passwords: username 'fran' from {ATTACKER} at /login/"
    ]
    assert lines[0].mail_pending  # and so in their next digest mail
    assert not Notification.objects.filter(user=cast.fran).exists()


def test_behind_a_proxy_the_address_the_proxy_adds_is_the_one_counted(cast, settings):
    settings.BEHIND_TLS_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for name in ("sam", "eve", "mia", "ed", "nobody"):
        Client(**proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}").post(
            "/login/", {"username": name, "password": "guess"}
        )

    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR=f"5.6.7.8, {ATTACKER}")
    assert attacker.post("/login/", {"username": "fran", "password": "pw"}).status_code == 429

    colleague = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = colleague.post("/login/", {"username": "fran", "password": "pw"})
    assert response.status_code == 302 and signed_in(colleague)
