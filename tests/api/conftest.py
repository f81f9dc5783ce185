"""An API client that speaks for one member of the cast, with a real token."""

import json

import pytest
from django.test import Client

from relaydesk.api.tokens import create_token

BASE = "/api/v1"


class Api:
    """Calls /api/v1 as one person, with `Authorization: Bearer <their token>`."""

    def __init__(self, secret: str | None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, **self.headers)

    def post(self, path: str, body=None):
        data = "" if body is None else json.dumps(body)
        return self.client.post(BASE + path, data, content_type="application/json", **self.headers)


@pytest.fixture
def api_as(cast):
    """api_as(cast.fran) → an Api client with a fresh token for fran."""

    def make(user) -> Api:
        _, secret = create_token(user, name="tests")
        return Api(secret)

    return make


def open_body(**overrides) -> dict:
    body = {
        "customer": {"name": "Carla Mendes", "email": "carla@example.com"},
        "category": "billing",
        "subject": "Charged twice for my season ticket",
        "details": {"invoice": "INV-1042", "amount": "129.50"},
        "channel": "web",
    }
    body.update(overrides)
    return body
