"""Admins can see and revoke tokens in the admin, but never see or make a secret there."""

from django.test import Client

from relaydesk.api.models import ApiToken
from relaydesk.api.tokens import create_token


def test_an_admin_revokes_tokens_in_the_admin(cast, django_user_model):
    django_user_model.objects.create_superuser("root", "root@acme.example", "pw")
    token, secret = create_token(cast.fran, name="laptop")
    client = Client()
    client.force_login(django_user_model.objects.get(username="root"))

    listing = client.get("/admin/api/apitoken/")
    assert listing.status_code == 200
    assert token.prefix in listing.text and secret not in listing.text
    assert client.get("/admin/api/apitoken/add/").status_code == 403

    response = client.post(
        "/admin/api/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "Revoked 1 token(s)." in response.text
    assert ApiToken.objects.get().is_revoked
