"""Helpers for the staff page tests: sign in as one of the cast, ask as htmx does."""

import pytest

HTMX = {"HX-Request": "true"}


@pytest.fixture
def signed_in(client):
    """signed_in(user) -> the test client, signed in as `user`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
