"""The admin shows the mail room: categories' addresses, rules, raw mail read-only."""

from django.contrib.auth.models import User

from relaydesk.intake.mail.receive import receive


def test_an_admin_sets_a_categorys_mail_address_and_reads_raw_mail(client, cast):
    admin = User.objects.create_superuser("root", "root@acme.example", "pw")
    client.force_login(admin)
    receive(b"From: carla@example.com\r\nSubject: Hi\r\n\r\nHello\r\n", source="test")

    category_page = client.get(f"/admin/org/category/{cast.billing.pk}/change/")
    raw_list = client.get("/admin/intake/rawmessage/")
    rules = client.get("/admin/intake/mailrule/")

    assert 'name="mail_address"' in category_page.content.decode()
    assert "carla@example.com" in raw_list.content.decode()
    assert rules.status_code == 200
    assert client.get("/admin/intake/rawmessage/add/").status_code == 403
