"""The WSGI application, for every server that serves Relaydesk.

`relaydesk serve` runs it under gunicorn (several processes) or waitress (`--processes 1`);
an operator may run `gunicorn relaydesk.wsgi` or mod_wsgi over it. Importing this module
readies the app for a server about to fork or serve: Django set up, the tone check compiled,
no database connection left open.
"""

import json
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relaydesk.settings")


def largest_body() -> int:
    """A form carries at most a few files of the attachment limit each; a larger request body
    is refused with 413 before it is read, so an anonymous /contact post cannot make the
    server read (or store) an unbounded body. (waitress's own default is 1 GB; gunicorn has
    no limit of its own.)"""
    from django.conf import settings

    return 4 * settings.MAIL_MAX_ATTACHMENT_BYTES + 1024 * 1024


def refusing_large_bodies(app, limit: int):
    """`app`, except that a request announcing a body over `limit` bytes gets 413 unread:
    on the API as its other errors are, `{"detail": …}` in JSON (relaydesk.api.errors),
    elsewhere as plain text. A body without a length (chunked) is not read by Django at all."""
    detail = f"The request body is larger than the limit of {limit} bytes."
    refusals = {
        True: ("application/json", json.dumps({"detail": detail}).encode()),
        False: ("text/plain; charset=utf-8", f"{detail}\n".encode()),
    }

    def application(environ, start_response):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            on_api = str(environ.get("PATH_INFO", "")).startswith("/api/")
            content_type, body = refusals[on_api]
            headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
            start_response("413 Request Entity Too Large", headers)
            return [body]
        return app(environ, start_response)

    return application


application = refusing_large_bodies(get_wsgi_application(), largest_body())

# Compiled here, before the first request (and, under gunicorn's preload, once before the
# workers fork, so they share it): left to a process's first reply it costs ~2 CPU-s, which
# under load ran past gunicorn's worker timeout (docs/operations.md, "Load run").
from relaydesk.replies.warm import warm_up  # noqa: E402  (needs the app set up above)

warm_up()

# A connection opened while loading must not be shared by the processes a server forks.
from django.db import connections  # noqa: E402

connections.close_all()
