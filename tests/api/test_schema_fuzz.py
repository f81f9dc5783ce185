"""Schemathesis over /api/v1/openapi.json (issue 18, part 3): every operation, called through
the product's own WSGI application with a real token, answers without a 5xx and as its schema
says (documented status codes, bodies and content types; what the schema calls invalid is
refused, what it calls valid is not refused for its shape).

Bounded: a fixed number of examples per operation, derandomized, so a run takes the same
requests every time (about a minute on the shared machine, the whole API)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from relaydesk.api.tokens import create_token
from tests import factories

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

EXAMPLES = 10

# Where a request the schema calls valid may still be refused for what the database holds or
# for a rule no schema can say; schemathesis cannot know these, so for them only the check that
# "valid data is accepted" is left out (every other check still runs).
REFUSED_BY_DATA = {
    "POST /api/v1/cases": "the category must be one the company has (GET /api/v1/categories)",
    "POST /api/v1/customers/{customer_id}/merge": (
        "both customers must exist and be two people (404 or 409 otherwise)"
    ),
}
CURSOR = "a cursor must be one this API gave out: no schema can list those"


@pytest.fixture
def keep_connection():
    """The test's transaction stays open across requests, as with Django's test client (a bare
    WSGI call closes the connection when the request ends)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(cast, keep_connection) -> dict[str, str]:
    """Mia (a lead: she may read every route) with one open case, so refs can be found."""
    factories.make_case(category=cast.billing, acting=cast.fran)
    _, secret = create_token(cast.mia, name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_its_schema_says(case, bearer):
    cursor = case.query and "cursor" in case.query
    if case.operation.label in REFUSED_BY_DATA or cursor:
        case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])
    else:
        case.call_and_validate(headers=bearer)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/goodwill?month=0001-01", "/api/v1/goodwill?month=9999-12", "/api/v1/reports/0001-01"],
)
def test_the_months_the_fuzzing_found_are_refused_not_a_500(client, bearer, path):
    """Found by this module: these months ran past datetime's range (a 500)."""
    response = client.get(path, HTTP_AUTHORIZATION=bearer["Authorization"])

    assert response.status_code == 422
    assert "month" in response.json()["detail"]
