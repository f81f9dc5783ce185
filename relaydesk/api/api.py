"""The JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json).

Every router below is behind bearer tokens (relaydesk.api.auth); one router per module, each
registered here with one line.
"""

from relaydesk.api import cases, catalog, errors, goodwill, phrases, problems, tone
from relaydesk.api.auth import bearer
from relaydesk.api.openapi import DocumentedAPI

api = DocumentedAPI(
    title="Relaydesk API",
    version="1",
    description="Cases with exactly one owner. Send 'Authorization: Bearer <token>'.",
    urls_namespace="api",
    auth=bearer,
    docs_url=None,  # served by relaydesk/urls.py, behind the staff sign-in
)
errors.install(api)

api.add_router("", catalog.router)
api.add_router("/cases", cases.router)
api.add_router("/cases", goodwill.case_router)
api.add_router("/cases", "relaydesk.api.similar.router")  # earlier cases like this
api.add_router("", "relaydesk.api.merging.router")  # cases' dismiss and merge, customers' merge
api.add_router("/goodwill", goodwill.router)
api.add_router("/problems", problems.router)
api.add_router("/phrases", phrases.router)
api.add_router("/tone-check", tone.router)
api.add_router("/mail", "relaydesk.api.mail.router")
api.add_router("/reports", "relaydesk.api.reports.router")
api.add_router("/people", "relaydesk.api.people.router")
api.add_router("/customers", "relaydesk.api.privacy.router")
