"""The outbox admin: a failed mail can be queued again; sent mail cannot be resent."""

from django.contrib.auth.models import User

from relaydesk.outbox.models import OutgoingMail
from relaydesk.outbox.queue import queue_mail


def test_an_admin_can_queue_failed_mail_again_but_not_sent_mail(client, db):
    admin = User.objects.create_superuser("root", "root@acme.example", "pw")
    client.force_login(admin)
    failed = queue_mail(to="a@example.com", subject="x", body="x")
    sent = queue_mail(to="b@example.com", subject="y", body="y")
    OutgoingMail.objects.filter(pk=failed.pk).update(status="failed", attempts=8)
    OutgoingMail.objects.filter(pk=sent.pk).update(status="sent")
    response = client.post(
        "/admin/outbox/outgoingmail/",
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    assert "1 failed mails queued again." in response.content.decode()
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == ("queued", 0)
    assert sent.status == "sent"


def test_the_outbox_list_shows_the_mail(client, db):
    admin = User.objects.create_superuser("root", "root@acme.example", "pw")
    client.force_login(admin)
    queue_mail(to="someone@example.com", subject="Hello there", body="x")
    page = client.get("/admin/outbox/outgoingmail/").content.decode()
    assert "someone@example.com" in page
